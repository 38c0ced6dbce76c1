import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The app is built into the Python package, which serves it at `/` (see photonix_rt/http/).
export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: '../photonix_rt/webapp',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a server on :8080 (`./dev serve`).
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', ws: true },
      '/thumbnails': 'http://127.0.0.1:8080',
      '/originals': 'http://127.0.0.1:8080',
    },
  },
});
