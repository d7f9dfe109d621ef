/** Characters of a user's value shown in an error message. */
const PREVIEW_CHARS = 60;

/** `text` cut to `max` characters, the cut marked with `…`. */
export function truncate(text: string, max: number = PREVIEW_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** JSON of `value`, at most `depth` levels deep (deeper parts shown as `…`), never throwing. */
function shallowJson(value: unknown, depth: number): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  }
  if (depth === 0) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    return `[${value
      .slice(0, 10)
      .map((v) => shallowJson(v, depth - 1))
      .join(',')}${value.length > 10 ? ',…' : ''}]`;
  }
  const entries = Object.entries(value);
  return `{${entries
    .slice(0, 10)
    .map(([k, v]) => `${JSON.stringify(k)}:${shallowJson(v, depth - 1)}`)
    .join(',')}${entries.length > 10 ? ',…' : ''}}`;
}

/**
 * A user's value as an error message shows it: JSON, `missing` for undefined, cut to
 * `PREVIEW_CHARS` characters. Safe for any JSON value, however deep or long.
 */
export function preview(value: unknown): string {
  return value === undefined ? 'missing' : truncate(shallowJson(value, 4));
}
