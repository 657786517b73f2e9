// The home page works offline after a first visit: it registers the element's service worker
// (component/src/offline-worker.ts), which keeps the element, its model and this page. The element
// never does this by itself; a page on the element's origin opts in with these lines.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/digit-recognizer-offline.js').catch((error) => console.warn('offline use is not available:', error));
}
