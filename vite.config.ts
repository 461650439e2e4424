// Vite builds the PWA from web/ into dist/web, which the Hono server serves (server/http/static-web.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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

export default defineConfig({
  root: path.join(here, 'web'),
  publicDir: path.join(here, 'public'),
  plugins: [react()],
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
