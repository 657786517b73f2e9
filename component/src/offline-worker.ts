/**
 * The element's optional service worker, `digit-recognizer-offline.js`, built beside its script
 * (component/build.mjs). The element never installs it: a page on the element's origin that wants
 * to work offline registers it itself (`navigator.serviceWorker.register('/digit-recognizer-offline.js')`;
 * the demo's home page does). Then, once a page has read on the device, it still reads when
 * reloaded without a network:
 *   - installing, it stores the element's script and the pages that registered it (small, and
 *     already downloaded); TensorFlow.js and the model are stored when the element first fetches
 *     them (at the first stroke): a page that registers it pays nothing more before someone draws;
 *   - content-hashed files (chunks, model) are answered from the store, without the network;
 *   - pages, styles and the element's own script are fetched from the network first (so updates
 *     arrive at once), kept, and answered from the store when the network is down;
 *   - anything else (POST /predict, other origins, API answers) it leaves alone.
 * A new build is a new store; the old one is deleted once the new worker takes over.
 */

/**
 * Filled in by component/build.mjs, relative to this script: the store's name (it changes with every
 * build), the files stored at install, and the content-hashed files (answered from the store).
 */
declare const DIGIT_RECOGNIZER_OFFLINE: { cache: string; files: string[]; immutable: string[] };

/** The parts of ServiceWorkerGlobalScope used here (the project's TypeScript lib is the DOM's). */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
const scope = self as unknown as {
  location: Location;
  registration: unknown;
  clients: { claim(): Promise<void>; matchAll(options: { includeUncontrolled: boolean; type: 'window' }): Promise<{ url: string }[]> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
};

const { cache: CACHE, files, immutable } = DIGIT_RECOGNIZER_OFFLINE;
const absolute = (file: string) => new URL(file, scope.location.href).href;
const IMMUTABLE = new Set(immutable.map(absolute));
/** What a page needs to show itself; API answers (fetch, no destination) are not kept. */
const PAGE_PARTS = new Set(['document', 'script', 'style', 'image', 'font', 'worker', 'manifest']);

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(files.map(absolute));
      // The pages that registered it are not controlled yet: keep them now, for a reload offline.
      const pages = await scope.clients.matchAll({ includeUncontrolled: true, type: 'window' });
      await Promise.all(
        pages
          .filter((page) => new URL(page.url).origin === scope.location.origin)
          .map((page) => cache.add(page.url).catch(() => undefined)),
      );
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('digit-recognizer-') && name !== CACHE) await caches.delete(name);
      await scope.clients.claim();
    })(),
  );
});

async function fromStore(request: Request): Promise<Response | undefined> {
  return (await caches.open(CACHE)).match(request);
}

/** Content-hashed: what is stored is what the network would send. */
async function storeFirst(request: Request): Promise<Response> {
  return (await fromStore(request)) ?? networkFirst(request);
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const copy = response.clone();
      void caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const stored = await fromStore(request);
    if (stored) return stored;
    throw error;
  }
}

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== scope.location.origin) return;
  if (IMMUTABLE.has(request.url)) event.respondWith(storeFirst(request));
  else if (request.mode === 'navigate' || PAGE_PARTS.has(request.destination)) event.respondWith(networkFirst(request));
});
