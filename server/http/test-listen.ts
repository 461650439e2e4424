/**
 * Test helper: serves a Hono app over a real socket on 127.0.0.1 (port 0) and sends raw requests whose paths
 * `fetch` would normalise (`..`, `%2e%2e`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** A listening test server. */
export interface Listening {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts `app` on an ephemeral port of 127.0.0.1. */
export function listen(app: { fetch: (request: Request, env: never) => Response | Promise<Response> }): Promise<Listening> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch as (request: Request) => Promise<Response>, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive sockets of fetch would otherwise hold close() open.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Sends a request with `path` exactly as given (no URL normalisation) and buffers the answer. */
export function rawRequest(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
