import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMarkdownRenderer } from 'vitepress';
import { describe, expect, it } from 'vitest';
import { apiLinks, readApiIndex } from '../.vitepress/api-links';

/** A small TypeDoc-like output: a module page of @fbt/tensor and a class page of @fbt/layers. */
function fixture(): { root: string; api: string } {
  const root = mkdtempSync(join(tmpdir(), 'fbt-api-links-'));
  const api = join(root, 'reference', 'api');
  mkdirSync(join(api, 'tensor'), { recursive: true });
  mkdirSync(join(api, 'layers', 'index', 'classes'), { recursive: true });
  writeFileSync(
    join(api, 'tensor', 'index.md'),
    [
      '# @fbt/tensor',
      '## Interfaces',
      '<a id="activation"></a>',
      '### Activation',
      '## Functions',
      '<a id="tidy"></a>',
      '### tidy()',
      '<a id="add"></a>',
      '### add()',
      '#### Parameters',
    ].join('\n'),
  );
  writeFileSync(join(api, 'layers', 'index', 'classes', 'Activation.md'), '# Class: Activation\n');
  return { root, api };
}

describe('API links', () => {
  it('maps exports to their page and anchor, preferring a run-time export over a type', () => {
    const { root, api } = fixture();
    const index = readApiIndex(api, root);
    expect(index.get('tidy')).toEqual({ page: '/reference/api/tensor/', anchor: 'tidy', kind: 'Functions' });
    expect(index.get('Activation')).toEqual({
      page: '/reference/api/layers/index/classes/Activation',
      anchor: '',
      kind: 'Classes',
    });
    expect(index.has('Parameters')).toBe(false);
  });

  it('links code spans naming an export on the chosen pages only, never inside a link or a code block', async () => {
    const { root, api } = fixture();
    const md = await createMarkdownRenderer(root);
    md.use(apiLinks, { index: readApiIndex(api, root), prefixes: ['guide/'] });
    const source = 'Use `tidy(fn)` and `add`, not `nothing`; [`tidy`](./x).\n\n```ts\ntidy()\n```\n';
    const guide = md.render(source, { relativePath: 'guide/a.md' });
    expect(guide).toContain('<a href="/reference/api/tensor/#tidy"><code>tidy(fn)</code></a>');
    expect(guide).toContain('<a href="/reference/api/tensor/#add"><code>add</code></a>');
    expect(guide).toContain('<code>nothing</code>');
    expect(guide.match(/reference\/api/g)).toHaveLength(2);
    expect(md.render(source, { relativePath: 'reference/b.md' })).not.toContain('reference/api');
    expect(md.render(source, { relativePath: 'guide/c.md', frontmatter: { apiLinks: false } })).not.toContain(
      'reference/api',
    );
  });
});
