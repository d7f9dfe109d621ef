import { defineConfig } from 'vitepress';

const guide = [
  { text: 'Getting started', link: '/guide/getting-started' },
  { text: 'Concepts', link: '/guide/concepts' },
  { text: 'Activations and rules', link: '/guide/activations-and-rules' },
  { text: 'Training', link: '/guide/training' },
  { text: 'Datasets', link: '/guide/datasets' },
  { text: 'Backends', link: '/guide/backends' },
  { text: 'Reproducing the paper', link: '/guide/reproduction' },
  { text: 'Sweeps on many machines', link: '/guide/sweeps' },
  { text: 'Conventions and errors', link: '/guide/conventions' },
];

const reference = [
  { text: 'Overview', link: '/reference/' },
  { text: 'Backward rules', link: '/reference/rules' },
  { text: 'Forward activations', link: '/reference/activations' },
  { text: 'Packages and exports', link: '/reference/packages' },
];

const internals = [{ text: 'Kernel contract', link: '/internals/kernels' }];

/**
 * The fbt documentation site. `reference/rules.md` and `reference/activations.md` are generated
 * by `scripts/gen-reference.mjs` (run by the `build` and `dev` scripts) from the built
 * @fbt/surrogates, so every link to them resolves at build time.
 */
export default defineConfig({
  title: 'fbt',
  description: 'Train neural networks whose backward pass is decoupled from the forward pass',
  lang: 'en-US',
  cleanUrls: true,
  lastUpdated: false,
  ignoreDeadLinks: false,
  // The docs package's own README is for contributors, not a page of the site.
  srcExclude: ['README.md'],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '/guide/' },
      { text: 'Reference', link: '/reference/', activeMatch: '/reference/' },
      { text: 'Paper', link: 'https://arxiv.org/abs/2509.07236' },
    ],
    sidebar: [
      { text: 'Guide', items: guide },
      { text: 'Reference', items: reference },
      { text: 'Internals', items: internals },
    ],
    search: { provider: 'local' },
    outline: [2, 3],
    footer: {
      message: 'MIT licensed.',
      copyright: 'fbt reproduces Troiano, Gissi, Benedetto and Tortora, Neurocomputing 654 (2025).',
    },
  },
});
