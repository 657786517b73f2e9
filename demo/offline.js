// The home page and the form work offline once they have read on the device: they register the
// element's service worker (component/src/offline-worker.ts), which keeps the element, its model
// and the page. The element never does this by itself; a page on its origin opts in with these lines.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/digit-recognizer-offline.js').catch((error) => console.warn('offline use is not available:', error));
}
