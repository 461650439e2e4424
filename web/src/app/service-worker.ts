/**
 * Registers the service worker vite-plugin-pwa generates (app shell, onnxruntime's wasm and the model bundles are
 * precached; see vite.config.ts), so the app opens and runs offline after one visit. A new version activates on the
 * next load (autoUpdate), never under a running computation.
 */
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  registerSW({ immediate: true });
}
