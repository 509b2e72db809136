// Lets tsc (tsconfig.ui.json) accept .svelte imports; the components themselves are checked by the compiler in vite.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
