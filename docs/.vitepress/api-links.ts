import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MarkdownRenderer } from 'vitepress';

/** Where one export is documented: the page (a site path without extension) and its anchor. */
export interface ApiTarget {
  readonly page: string;
  readonly anchor: string;
  /** The TypeDoc section it sits in: `Classes`, `Functions`, `Interfaces`, … */
  readonly kind: string;
}

/** Sections of exports that exist at run time; they win over a type of the same name. */
const RUNTIME_KINDS = new Set(['Classes', 'Functions', 'Variables']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownFiles(join(dir, entry.name))
      : entry.name.endsWith('.md')
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * Reads the API pages TypeDoc wrote (typedoc-plugin-markdown with `useHTMLAnchors`: a page per
 * class, a page per module for everything else) and maps each exported name to its page and
 * anchor: a class is its page `…/classes/Name.md`; any other export is a level-3 heading right
 * under a `## Functions`/`## Interfaces`/… section of a module page, preceded by its `<a id>`. A name exported
 * twice (a class and an interface, or by two packages) keeps only its run-time export; a name that
 * is still ambiguous is left out.
 *
 * @param apiDir The TypeDoc output folder, e.g. `docs/reference/api`.
 * @param siteRoot The VitePress source root, e.g. `docs`.
 */
export function readApiIndex(apiDir: string, siteRoot: string): Map<string, ApiTarget> {
  const found = new Map<string, ApiTarget[]>();
  if (!existsSync(apiDir)) return new Map();
  for (const file of markdownFiles(apiDir)) {
    const page = `/${relative(siteRoot, file).replace(/\\/g, '/').replace(/\.md$/, '')}`.replace(
      /\/index$/,
      '/',
    );
    const classPage = /\/classes\/([A-Za-z_$][\w$]*)$/.exec(page);
    if (classPage) {
      const name = classPage[1]!;
      found.set(name, [...(found.get(name) ?? []), { page, anchor: '', kind: 'Classes' }]);
      continue;
    }
    const lines = readFileSync(file, 'utf8').split('\n');
    let kind = '';
    let anchor = '';
    for (const line of lines) {
      if (line.startsWith('## ')) kind = line.slice(3).trim();
      const id = /^<a id="([^"]+)"><\/a>$/.exec(line);
      if (id) anchor = id[1]!;
      const heading = /^### ([A-Za-z_$][\w$]*)/.exec(line);
      if (heading && anchor && kind) {
        const name = heading[1]!;
        found.set(name, [...(found.get(name) ?? []), { page, anchor, kind }]);
        anchor = '';
      }
    }
  }
  const index = new Map<string, ApiTarget>();
  for (const [name, targets] of found) {
    const runtime = targets.filter((t) => RUNTIME_KINDS.has(t.kind));
    const candidates = runtime.length > 0 ? runtime : targets;
    if (candidates.length === 1) index.set(name, candidates[0]!);
  }
  return index;
}

/**
 * A markdown-it plugin: on the pages whose path starts with one of `prefixes`, an inline code span
 * that names an export (`Tensor`, `customOp`, `rule('triangular', { w: 2 })`) becomes a link to
 * its API reference. Code blocks and spans already inside a link are left alone, and so is a page
 * whose frontmatter says `apiLinks: false` (one whose code spans name something else, such as the
 * command-line names of the reproduction guide).
 */
export function apiLinks(
  md: MarkdownRenderer,
  options: { index: Map<string, ApiTarget>; prefixes: string[] },
): void {
  md.core.ruler.after('inline', 'fbt-api-links', (state) => {
    const path: string = state.env?.relativePath ?? '';
    if (!options.prefixes.some((prefix) => path.startsWith(prefix))) return;
    if (state.env?.frontmatter?.apiLinks === false) return;
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      const children = [];
      let inLink = 0;
      for (const token of block.children) {
        if (token.type === 'link_open') inLink++;
        if (token.type === 'link_close') inLink--;
        const name = /^([A-Za-z_$][\w$]*)(\(.*\))?$/.exec(token.content)?.[1];
        const target =
          token.type === 'code_inline' && inLink === 0 && name ? options.index.get(name) : undefined;
        if (!target) {
          children.push(token);
          continue;
        }
        const open = new state.Token('link_open', 'a', 1);
        open.attrs = [['href', target.anchor ? `${target.page}#${target.anchor}` : target.page]];
        children.push(open, token, new state.Token('link_close', 'a', -1));
      }
      block.children = children;
    }
  });
}
