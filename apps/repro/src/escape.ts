/**
 * Escaping of text from outside (a queue's job names and failure reasons) for each place it is
 * shown: a terminal line, or Markdown (REPORT.md, the docs include) that is also rendered as HTML.
 */

/** ANSI/VT escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL/ST`) and two-character ones. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
/** Control characters (C0, DEL, C1), which move the cursor, ring or start sequences of their own. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line for a terminal: escape sequences removed, line breaks and other control characters as spaces. */
export function forTerminal(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, ' ');
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Inline Markdown text that renders as exactly these characters: one line (as `forTerminal`), HTML
 * special characters as entities (no tag, no `onerror`), the punctuation of headings, emphasis,
 * links, images, code, attributes and table cells backslash-escaped, and a leading list marker too.
 */
export function forMarkdown(text: string): string {
  return forTerminal(text)
    .trim()
    .replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]!)
    .replace(/[\\`*_{}[\]#!|~]/g, '\\$&')
    .replace(/^(\d*)([-+.)])/, '$1\\$2');
}
