import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { countries } from './build/countries';

// The app is built into the Python package, which serves it at `/` (see photonix_rt/http/).
// `PHOTONIX_DEV_SERVER` points `npm run dev`'s proxy at another server (default :8080).
const server = process.env.PHOTONIX_DEV_SERVER ?? 'http://127.0.0.1:8080';

/**
 * Codegen's `graphql()` looks documents up in a map of every operation of the app, so each
 * bundle would carry all of them (three times over). Like codegen's Babel plugin, replace each
 * `graphql(`...`)` call in operation files with its generated `...Document` export: a screen's
 * chunk then holds only the operations it imports, and unused ones drop out.
 */
function gqlDocuments(): Plugin {
  const call = /graphql\(\s*`\s*(query|mutation|subscription|fragment)\s+(\w+)[^`]*`\s*\)/g;
  const importLine = /import\s*\{\s*graphql\s*\}\s*from\s*(['"])([^'"]+)\1;?/;
  return {
    name: 'photonix-gql-documents',
    enforce: 'pre',
    transform(code, id) {
      if (id.endsWith('/src/lib/api/gql/graphql.ts')) {
        // Pure, so a document nobody imports is dropped from the bundle.
        return code.replaceAll('= new TypedDocumentString(', '= /*#__PURE__*/ new TypedDocumentString(');
      }
      if (!/\/src\/(lib\/api\/operations|widget)\/.+\.ts$/.test(id)) return null;
      if (!importLine.test(code)) return null;
      const replaced = code.replace(call, (_m, kind: string, name: string) =>
        `__gqlDocs.${name}${kind === 'fragment' ? 'FragmentDoc' : 'Document'}`);
      if (/\bgraphql\(/.test(replaced)) return null; // a shape we do not handle: leave it be
      return replaced.replace(importLine,
                              (_m, _q: string, from: string) => `import * as __gqlDocs from '${from}/graphql';`);
    },
  };
}

export default defineConfig({
  plugins: [
    gqlDocuments(),
    countries(),
    svelte(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      // main.ts registers it, and only where `navigator.serviceWorker` exists.
      injectRegister: false,
      useCredentials: true, // installs keep working behind basic auth
      manifest: {
        name: 'photonix-rt',
        short_name: 'photonix-rt',
        description: 'Your photo library, live.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        // "Share to photonix-rt" on phones that installed the app: sw.ts receives the POST.
        share_target: {
          action: '/share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: { files: [{ name: 'photos', accept: ['image/*'] }] },
        },
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
        // ...and not the Map screen's MapLibre and country shapes (loaded only when opened).
        globIgnores: ['**/index.html', '**/maplibre*', '**/Map-*', '**/countries*'],
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
