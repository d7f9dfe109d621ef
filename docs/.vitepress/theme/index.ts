import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import HomeLinks from './HomeLinks.vue';
import Playground from './playground/Playground.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('Playground', Playground);
    app.component('HomeLinks', HomeLinks);
  },
} satisfies Theme;
