import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The widget, `/embed/v1/photonix-gallery.js`: one ES module that defines <photonix-gallery>.
// Only this build compiles Svelte for custom elements; every component's CSS is injected into
// the element's shadow root, so nothing leaks into (or from) the host page. Runs after the
// app's build, which empties photonix_rt/webapp/. An app-style build of one entry (not library
// mode, which leaves ES output unminified): one self-contained, minified file.
export default defineConfig({
  plugins: [svelte({ compilerOptions: { customElement: true, css: 'injected' } })],
  publicDir: false,
  build: {
    outDir: '../photonix_rt/webapp/embed/v1',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    modulePreload: false,
    rollupOptions: {
      input: 'src/widget/main.ts',
      preserveEntrySignatures: false,
      output: {
        format: 'es',
        entryFileNames: 'photonix-gallery.js',
        inlineDynamicImports: true,
      },
    },
  },
});
