/// <reference lib="webworker" />
// The service worker: precaches the hashed app shell, keeps thumbnails (cache first, bounded),
// and leaves everything else to the network: never index.html (navigations), never /graphql.
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

// Vite's build lists the hashed assets here; index.html is excluded in vite.config.ts (and
// filtered again: a cached shell would pin old assets after an upgrade).
precacheAndRoute(self.__WB_MANIFEST.filter(
  (entry) => !(typeof entry === 'string' ? entry : entry.url).endsWith('.html')));
cleanupOutdatedCaches();

// Thumbnails: immutable per version (`?v=` is the thumbnail key), so cache first. The URL also
// carries a short-lived `token`: the cache key drops it, so a new token still hits the cache.
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin
    && url.pathname.startsWith('/thumbnails/'),
  new CacheFirst({
    cacheName: 'thumbnails',
    plugins: [
      {
        cacheKeyWillBeUsed: async ({ request }) => {
          const url = new URL(request.url);
          url.searchParams.delete('token');
          return url.href;
        },
      },
      new ExpirationPlugin({ maxEntries: 4000, maxAgeSeconds: 30 * 24 * 3600,
                             purgeOnQuotaError: true }),
      {
        // Only complete, successful answers go in the cache (not a 403 for an old token).
        cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null),
      },
    ],
  }),
);

// Web Share Target (the manifest's `share_target`): a phone shares photos to the installed app
// as a multipart POST here. The files wait in a cache until the app, opened on
// `/?upload=shared`, queues them and shows their upload progress (app/upload/uploads.svelte.ts).
const SHARE_CACHE = 'share-target';
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'POST' || url.origin !== self.location.origin
      || url.pathname !== '/share-target') return;
  event.respondWith((async () => {
    try {
      const form = await event.request.formData();
      const cache = await caches.open(SHARE_CACHE);
      let n = 0;
      for (const value of form.getAll('photos')) {
        if (typeof value === 'string') continue;
        await cache.put(`/share-target/${Date.now()}-${n++}`, new Response(value, {
          headers: { 'Content-Type': value.type || 'application/octet-stream',
                     'X-File-Name': encodeURIComponent(value.name || 'shared') },
        }));
      }
    } catch (error) {
      console.error('share target: could not keep the shared files', error);
    }
    return Response.redirect('/?upload=shared', 303);
  })());
});

self.addEventListener('install', () => {
  void self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
