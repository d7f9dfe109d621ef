const MAX_ITEMS = 8;
const MAX_CHARS = 60;

function leaf(value: unknown): string {
  if (Array.isArray(value)) return '[…]';
  if (typeof value === 'object' && value !== null) return '{…}';
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}

/**
 * A short, bounded rendering of a parsed JSON value for error messages: primitives as JSON, arrays
 * one level deep (nested arrays and objects as `[…]` and `{…}`, at most 8 items). Unlike
 * `JSON.stringify`, it cannot overflow the stack on deeply nested input or flood a message.
 */
export function describeJson(value: unknown): string {
  if (!Array.isArray(value)) return leaf(value);
  const items = value.slice(0, MAX_ITEMS).map(leaf);
  if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
  return `[${items.join(',')}]`;
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
