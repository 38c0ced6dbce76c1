import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The app is built into the Python package, which serves it at `/` (see photonix_rt/http/).
// `PHOTONIX_DEV_SERVER` points `npm run dev`'s proxy at another server (default :8080).
const server = process.env.PHOTONIX_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      // main.ts registers it, and only where `navigator.serviceWorker` exists.
      injectRegister: false,
      useCredentials: true, // installs keep working behind basic auth
      manifest: {
        name: 'photonix',
        short_name: 'photonix',
        description: 'Your photo library, live.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#111318',
        theme_color: '#111318',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png',
            purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // The hashed shell only: never index.html (a stale shell would pin old assets).
        globPatterns: ['assets/**/*.{js,css,woff2,svg,png}', 'icons/*.{png,svg}'],
        globIgnores: ['**/index.html'],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: '../photonix_rt/webapp',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/graphql': { target: server, ws: true },
      '/thumbnails': server,
      '/originals': server,
    },
  },
});
