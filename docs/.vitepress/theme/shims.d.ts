/** Single-file components, as the theme imports them (compiled by VitePress's Vue plugin). */
declare module '*.vue' {
  const component: NonNullable<import('vitepress').Theme['Layout']>;
  export default component;
}
