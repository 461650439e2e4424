// Vite builds the PWA from web/ into dist/web, which the Hono server serves (server/http/static-web.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const here = path.dirname(fileURLToPath(import.meta.url));

// Cross-origin isolation (SharedArrayBuffer, multi-threaded onnxruntime WASM) in dev and preview too, not only
// behind the Hono server: keep in sync with ISOLATION_HEADERS in server/http/static-web.ts (a web test checks it).
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// In dev, the page's same-origin API calls go to a running `npm start` server (default port).
const api = 'http://127.0.0.1:8787';
const proxy = { '/healthz': api, '/demo': api, '/api': api, '/models': api };

/** onnxruntime-web's wasm (≈ 28 MB) must be precached for offline runs: raise Workbox's 2 MB default. */
const MAX_PRECACHE_BYTES = 64 * 1024 * 1024;

/**
 * The model bundles the server distributes at /models (models/index.json), precached by the service worker so a
 * tablet that opened the app once can classify offline. Each entry's revision is its content hash: a retrained
 * model replaces the cached one on the next visit.
 */
export function modelPrecacheEntries(modelsDir = path.join(here, 'models')): { url: string; revision: string }[] {
  const revision = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  const index = path.join(modelsDir, 'index.json');
  const { bundles } = JSON.parse(readFileSync(index, 'utf8')) as { bundles: { id: string }[] };
  return [
    { url: '/models/index.json', revision: revision(index) },
    ...bundles.flatMap(({ id }) => ['manifest.json', 'model.onnx', 'card.md'].map((f) => ({ url: `/models/${id}/${f}`, revision: revision(path.join(modelsDir, id, f)) }))),
  ];
}

export default defineConfig({
  root: path.join(here, 'web'),
  publicDir: path.join(here, 'public'),
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      // The icons are in public/ and so in globPatterns already; listing them twice makes Workbox refuse the manifest.
      includeManifestIcons: false,
      injectRegister: false,
      manifest: {
        name: 'GeoCrop — crop maps for Zimbabwe',
        short_name: 'GeoCrop',
        description: 'Crop maps for Zimbabwe from Sentinel-2, computed in your browser, online or offline.',
        theme_color: '#2f6b2f',
        background_color: '#f7f8f3',
        display: 'standalone',
        orientation: 'any',
        start_url: '/',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,webmanifest}'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_BYTES,
        additionalManifestEntries: modelPrecacheEntries(),
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/demo\//, /^\/models\//, /^\/healthz/],
        // The page's config: fresh when the server answers, the last copy when it does not (offline).
        runtimeCaching: [{ urlPattern: ({ url }) => url.pathname === '/api/config', handler: 'NetworkFirst', options: { cacheName: 'geocrop-config', networkTimeoutSeconds: 3 } }],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: {
    outDir: path.join(here, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { headers: ISOLATION_HEADERS, proxy },
  preview: { headers: ISOLATION_HEADERS, proxy },
  // onnxruntime-web finds its .wasm files relative to its own module; pre-bundling breaks those URLs.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
});
