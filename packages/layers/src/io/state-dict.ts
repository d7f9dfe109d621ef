import type { StateDict } from '../module';

/**
 * An empty state dict with a null prototype, so that any tensor name (`__proto__`, `constructor`)
 * is stored and read as an own key instead of touching `Object.prototype`.
 */
export function emptyStateDict(): StateDict {
  return Object.create(null) as StateDict;
}
