/**
 * Server configuration, read from the environment and validated once at boot into one typed object
 * (Outline's `env.ts`). Nothing else in the server reads `process.env`.
 *
 * | Variable                     | Default                                              | Accepted form |
 * |------------------------------|------------------------------------------------------|---------------|
 * | `PORT`                       | `8787`                                               | integer 0..65535 (0 = any free port) |
 * | `HOST`                       | `127.0.0.1`                                          | host name or IP address to listen on |
 * | `GEOCROP_DEMO_DIR`           | `.cache/demo-world`                                  | folder for the generated demo world, relative to the working directory (the repo root) or absolute |
 * | `GEOCROP_DEMO_SEED`          | `42`                                                 | integer 0..4294967295; same seed, same demo world |
 * | `GEOCROP_DEMO_SEASONS`       | `2022,2023`                                          | comma list of season start years 2017..2100 (season 2022 = Sep 2022 → May 2023) |
 * | `GEOCROP_STAC_URL`           | `https://explorer.digitalearth.africa/stac`          | http(s) URL of the STAC API used by online users (DE Africa) |
 * | `GEOCROP_S3_HTTPS_TEMPLATE`  | `https://{bucket}.s3.af-south-1.amazonaws.com/{key}` | http(s) URL or absolute path with `{key}` (and usually `{bucket}`): how `s3://bucket/key` hrefs are fetched |
 * | `GEOCROP_MAX_RADIUS_M`       | `25000`                                              | AOI radius limit of the server, metres, > 0 |
 * | `GEOCROP_FAULT_LATENCY_MS`   | `0`                                                  | integer 0..600000 ms added to demo STAC/S3 requests |
 * | `GEOCROP_FAULT_ERROR_RATE`   | `0`                                                  | probability 0..1 of a 500 |
 * | `GEOCROP_FAULT_429_RATE`     | `0`                                                  | probability 0..1 of a 429 |
 * | `GEOCROP_FAULT_RETRY_AFTER_S`| `1`                                                  | integer 0..86400 s, the 429s' `Retry-After` |
 * | `GEOCROP_FAULT_TRUNCATE`     | (empty)                                              | comma list of key substrings served cut at half length |
 * | `GEOCROP_FAULT_CORRUPT`      | (empty)                                              | comma list of key substrings served with garbled bytes |
 * | `GEOCROP_FAULT_SEED`         | `1`                                                  | integer 0..4294967295; makes random faults reproducible |
 * | `GEOCROP_WEB_DIR`            | `dist/web`                                           | folder of the built PWA, relative to the working directory or absolute |
 * | `GEOCROP_PROXY_HOSTS`        | the two DEA buckets (see {@link CONFIG_VARIABLES})    | comma list of `host` or `host:port` the CORS proxy `/api/proxy` may read from; the S3 template's host is added when it is a fixed host |
 *
 * An empty variable counts as unset (so `PORT=` in a compose file means the default).
 */
import path from 'node:path';
import { z } from 'zod';
import { GeoCropError } from '../shared/contract/errors';
import { FIRST_SEASON_YEAR } from '../shared/contract/season';
import type { FaultSettings } from './http/faults';

/** The server's whole configuration. Paths are absolute. */
export interface Config {
  /** TCP port to listen on (0: any free port). */
  port: number;
  /** Address to listen on. */
  host: string;
  demo: {
    /** Absolute folder of the generated demo world (cache; safe to delete). */
    dir: string;
    /** Seed of the demo world generator. */
    seed: number;
    /** Season start years, ascending, without duplicates (2022 = the Sep 2022 → May 2023 season). */
    seasons: number[];
  };
  /** STAC API of online users (no trailing slash). */
  stacUrl: string;
  /** Template turning `s3://{bucket}/{key}` hrefs into fetchable URLs. */
  s3HttpsTemplate: string;
  /** Largest AOI radius the server accepts, metres. */
  maxRadiusM: number;
  /** Fault injection at boot (changeable at run time through `/demo/faults`). */
  faults: FaultSettings;
  /** Absolute folder of the built PWA. */
  webDir: string;
  /** Hosts (`URL.host` form, lower case) the CORS proxy may read from: `GEOCROP_PROXY_HOSTS` plus the S3 template's fixed host. */
  proxyHosts: string[];
}

/** URL paths where the server mounts the demo world. */
export const DEMO_PATHS = {
  stac: '/demo/stac',
  s3: '/demo/s3',
  truth: '/demo/truth',
  faults: '/demo/faults',
} as const;

/** Where the CORS proxy is mounted, and the template the PWA's COG reader falls back to. */
export const PROXY_PATH = '/api/proxy';
export const PROXY_TEMPLATE = `${PROXY_PATH}?url={url}`;

/** The part of {@link Config} that is safe to send to the browser. */
export interface PublicConfig {
  stacUrl: string;
  s3HttpsTemplate: string;
  /** CORS fallback for COG reads (same origin): `{url}` is the percent-encoded object URL. */
  proxyTemplate: string;
  maxRadiusM: number;
  demo: {
    /** STAC API of the demo world (same origin). */
    stacUrl: string;
    /** Template for the demo world's `s3://` hrefs (same origin). */
    s3HttpsTemplate: string;
    /** Folder URL of the ground truth (`classes.tif`, `fields.geojson`, `classes.json`). */
    truthUrl: string;
    seed: number;
    seasons: number[];
    /** `[minLon, minLat, maxLon, maxLat]` the demo world has data for (the generated world's extent). */
    region: [number, number, number, number];
  };
}

interface VariableSpec {
  readonly default: string;
  readonly accepted: string;
}

const uint32 = 'an integer 0..4294967295';

/** Every variable with its default and accepted form, as the boot error reports them. */
export const CONFIG_VARIABLES = {
  PORT: { default: '8787', accepted: 'an integer 0..65535 (0 picks a free port)' },
  HOST: { default: '127.0.0.1', accepted: 'a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0' },
  GEOCROP_DEMO_DIR: { default: '.cache/demo-world', accepted: 'a folder path (relative to the working directory, or absolute)' },
  GEOCROP_DEMO_SEED: { default: '42', accepted: uint32 },
  GEOCROP_DEMO_SEASONS: { default: '2022,2023', accepted: 'a comma list of season start years 2017..2100, e.g. 2022,2023' },
  GEOCROP_STAC_URL: { default: 'https://explorer.digitalearth.africa/stac', accepted: 'an http(s) URL' },
  GEOCROP_S3_HTTPS_TEMPLATE: {
    default: 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}',
    accepted: 'an http(s) URL or absolute path containing {key}, e.g. https://{bucket}.s3.af-south-1.amazonaws.com/{key}',
  },
  GEOCROP_MAX_RADIUS_M: { default: '25000', accepted: 'a number of metres > 0 and <= 1000000' },
  GEOCROP_FAULT_LATENCY_MS: { default: '0', accepted: 'an integer 0..600000 (milliseconds)' },
  GEOCROP_FAULT_ERROR_RATE: { default: '0', accepted: 'a probability between 0 and 1' },
  GEOCROP_FAULT_429_RATE: { default: '0', accepted: 'a probability between 0 and 1' },
  GEOCROP_FAULT_RETRY_AFTER_S: { default: '1', accepted: 'an integer 0..86400 (seconds)' },
  GEOCROP_FAULT_TRUNCATE: { default: '', accepted: 'a comma list of key substrings (at most 100)' },
  GEOCROP_FAULT_CORRUPT: { default: '', accepted: 'a comma list of key substrings (at most 100)' },
  GEOCROP_FAULT_SEED: { default: '1', accepted: uint32 },
  GEOCROP_WEB_DIR: { default: 'dist/web', accepted: 'a folder path (relative to the working directory, or absolute)' },
  GEOCROP_PROXY_HOSTS: {
    default: 'deafrica-sentinel-2.s3.af-south-1.amazonaws.com,deafrica-services.s3.af-south-1.amazonaws.com',
    accepted: 'a comma list of host names or host:port (at most 100), e.g. deafrica-sentinel-2.s3.af-south-1.amazonaws.com',
  },
} as const satisfies Record<string, VariableSpec>;

type VariableName = keyof typeof CONFIG_VARIABLES;

const integer = (min: number, max: number) =>
  z.string().regex(/^[+-]?\d+$/, 'not an integer').transform(Number).pipe(z.number().int().min(min).max(max));
const decimal = (min: number, max: number) =>
  z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'not a number').transform(Number).pipe(z.number().min(min).max(max));
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''));
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const folder = z.string().min(1);
// A host as URL.host spells it: a DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port.
const hostEntry = z.string().regex(/^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/, 'not a host name');
const s3Template = z.string().refine((t) => {
  if (!t.includes('{key}')) return false;
  const sample = t.replaceAll('{bucket}', 'bucket').replaceAll('{key}', 'k');
  if (sample.startsWith('/') && !sample.startsWith('//')) return true;
  try {
    return /^https?:$/.test(new URL(sample).protocol);
  } catch {
    return false;
  }
}, 'not an http(s) URL or absolute path with {key}');

const envSchema = z.object({
  PORT: integer(0, 65535),
  HOST: z.string().regex(/^[A-Za-z0-9.:%[\]-]+$/, 'not a host name or address'),
  GEOCROP_DEMO_DIR: folder,
  GEOCROP_DEMO_SEED: integer(0, 0xffff_ffff),
  GEOCROP_DEMO_SEASONS: list.pipe(z.array(integer(FIRST_SEASON_YEAR, 2100)).min(1)),
  GEOCROP_STAC_URL: httpUrl,
  GEOCROP_S3_HTTPS_TEMPLATE: s3Template,
  GEOCROP_MAX_RADIUS_M: decimal(Number.MIN_VALUE, 1_000_000),
  GEOCROP_FAULT_LATENCY_MS: integer(0, 600_000),
  GEOCROP_FAULT_ERROR_RATE: decimal(0, 1),
  GEOCROP_FAULT_429_RATE: decimal(0, 1),
  GEOCROP_FAULT_RETRY_AFTER_S: integer(0, 86_400),
  GEOCROP_FAULT_TRUNCATE: list.pipe(z.array(z.string().max(500)).max(100)),
  GEOCROP_FAULT_CORRUPT: list.pipe(z.array(z.string().max(500)).max(100)),
  GEOCROP_FAULT_SEED: integer(0, 0xffff_ffff),
  GEOCROP_WEB_DIR: folder,
  GEOCROP_PROXY_HOSTS: list.pipe(z.array(hostEntry).max(100)),
} satisfies Record<VariableName, z.ZodType>);

/** One rejected variable, as listed in the boot error's `details.variables`. */
export interface BadVariable {
  name: VariableName;
  value: string;
  expected: string;
}

/**
 * Reads and validates the configuration. Throws one `INVALID_REQUEST` {@link GeoCropError} listing EVERY bad
 * variable with its value and accepted form (`details.variables`), so a broken deployment is fixed in one go.
 *
 * @param env variables to read; default `process.env`
 * @param cwd folder that relative paths are resolved against; default `process.cwd()` (the repo root under `npm start`)
 * @example
 * const config = loadConfig();                       // at boot, once
 * loadConfig({ PORT: '0', GEOCROP_DEMO_SEED: '7' }); // in tests
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): Config {
  const raw = {} as Record<VariableName, string>;
  for (const [name, spec] of Object.entries(CONFIG_VARIABLES) as [VariableName, VariableSpec][]) {
    const value = env[name]?.trim();
    raw[name] = value === undefined || value === '' ? spec.default : value;
  }

  const result = envSchema.safeParse(raw);
  if (!result.success) {
    const names = [...new Set(result.error.issues.map((i) => String(i.path[0]) as VariableName))];
    const variables: BadVariable[] = names.map((name) => ({ name, value: raw[name], expected: CONFIG_VARIABLES[name].accepted }));
    const lines = variables.map((v) => `  ${v.name}=${JSON.stringify(v.value)}: expected ${v.expected} (default ${JSON.stringify(CONFIG_VARIABLES[v.name].default)})`);
    throw new GeoCropError(
      'INVALID_REQUEST',
      `Invalid configuration: ${variables.length} environment variable${variables.length === 1 ? '' : 's'} to fix:\n${lines.join('\n')}`,
      { variables },
    );
  }

  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    demo: {
      dir: path.resolve(cwd, e.GEOCROP_DEMO_DIR),
      seed: e.GEOCROP_DEMO_SEED,
      seasons: [...new Set(e.GEOCROP_DEMO_SEASONS)].sort((a, b) => a - b),
    },
    stacUrl: e.GEOCROP_STAC_URL,
    s3HttpsTemplate: e.GEOCROP_S3_HTTPS_TEMPLATE,
    maxRadiusM: e.GEOCROP_MAX_RADIUS_M,
    faults: {
      latencyMs: e.GEOCROP_FAULT_LATENCY_MS,
      errorRate: e.GEOCROP_FAULT_ERROR_RATE,
      rate429: e.GEOCROP_FAULT_429_RATE,
      retryAfterS: e.GEOCROP_FAULT_RETRY_AFTER_S,
      truncate: e.GEOCROP_FAULT_TRUNCATE,
      corrupt: e.GEOCROP_FAULT_CORRUPT,
      seed: e.GEOCROP_FAULT_SEED,
    },
    webDir: path.resolve(cwd, e.GEOCROP_WEB_DIR),
    proxyHosts: proxyHosts(e.GEOCROP_PROXY_HOSTS, e.GEOCROP_S3_HTTPS_TEMPLATE),
  };
}

/**
 * The proxy allow-list: the configured hosts plus the S3 template's host when that is one fixed host (a CDN or a
 * local object store). A `{bucket}.…` host is not added: it would open every bucket of the region.
 */
function proxyHosts(listed: string[], s3Template: string): string[] {
  const hosts = listed.map((h) => h.toLowerCase());
  // A path template (same origin) has no authority: nothing to proxy.
  const m = /^(https?):\/\/([^/?#]+)/i.exec(s3Template);
  if (m && !m[2].includes('{')) hosts.push(new URL(`${m[1]}://${m[2]}`).host);
  return [...new Set(hosts)];
}

/**
 * The browser-safe part of the configuration (no file-system paths, no fault settings), served to the PWA.
 *
 * @param demoRegion the generated demo world's extent (`WorldManifest.regionLonLat`).
 */
export function publicConfig(config: Config, demoRegion: readonly number[]): PublicConfig {
  return {
    stacUrl: config.stacUrl,
    s3HttpsTemplate: config.s3HttpsTemplate,
    proxyTemplate: PROXY_TEMPLATE,
    maxRadiusM: config.maxRadiusM,
    demo: {
      stacUrl: DEMO_PATHS.stac,
      s3HttpsTemplate: `${DEMO_PATHS.s3}/{bucket}/{key}`,
      truthUrl: DEMO_PATHS.truth,
      seed: config.demo.seed,
      seasons: [...config.demo.seasons],
      region: [demoRegion[0], demoRegion[1], demoRegion[2], demoRegion[3]],
    },
  };
}
