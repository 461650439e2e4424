import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../shared/contract/errors';
import { CONFIG_VARIABLES, loadConfig, publicConfig } from './config';

const CWD = '/srv/geocrop';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    expect(loadConfig({}, CWD)).toEqual({
      port: 8787,
      host: '127.0.0.1',
      demo: { dir: '/srv/geocrop/.cache/demo-world', seed: 42, seasons: [2022, 2023] },
      stacUrl: 'https://explorer.digitalearth.africa/stac',
      s3HttpsTemplate: 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}',
      maxRadiusM: 25000,
      faults: { latencyMs: 0, errorRate: 0, rate429: 0, retryAfterS: 1, truncate: [], corrupt: [], seed: 1 },
      webDir: '/srv/geocrop/dist/web',
      proxyHosts: ['deafrica-sentinel-2.s3.af-south-1.amazonaws.com', 'deafrica-services.s3.af-south-1.amazonaws.com'],
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        GEOCROP_DEMO_DIR: '/data/demo',
        GEOCROP_DEMO_SEED: '4294967295',
        GEOCROP_DEMO_SEASONS: ' 2024, 2021 ,2024',
        GEOCROP_STAC_URL: 'http://localhost:8787/demo/stac/',
        GEOCROP_S3_HTTPS_TEMPLATE: '/demo/s3/{bucket}/{key}',
        GEOCROP_MAX_RADIUS_M: '12500.5',
        GEOCROP_FAULT_LATENCY_MS: '250',
        GEOCROP_FAULT_ERROR_RATE: '0.1',
        GEOCROP_FAULT_429_RATE: '.25',
        GEOCROP_FAULT_RETRY_AFTER_S: '3',
        GEOCROP_FAULT_TRUNCATE: 'B04.tif, ,_SCL',
        GEOCROP_FAULT_CORRUPT: 'B08',
        GEOCROP_FAULT_SEED: '99',
        GEOCROP_WEB_DIR: 'build/pwa',
        GEOCROP_PROXY_HOSTS: 'Bucket.Example.org, 10.0.0.5:9000,[::1]:8080',
      },
      CWD,
    );
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      demo: { dir: '/data/demo', seed: 4294967295, seasons: [2021, 2024] },
      stacUrl: 'http://localhost:8787/demo/stac',
      s3HttpsTemplate: '/demo/s3/{bucket}/{key}',
      maxRadiusM: 12500.5,
      faults: { latencyMs: 250, errorRate: 0.1, rate429: 0.25, retryAfterS: 3, truncate: ['B04.tif', '_SCL'], corrupt: ['B08'], seed: 99 },
      webDir: '/srv/geocrop/build/pwa',
      proxyHosts: ['bucket.example.org', '10.0.0.5:9000', '[::1]:8080'],
    });
  });

  it('treats empty variables as unset and resolves paths against the working directory by default', () => {
    const config = loadConfig({ PORT: '', GEOCROP_DEMO_SEASONS: '  ' });
    expect(config.port).toBe(8787);
    expect(config.demo.seasons).toEqual([2022, 2023]);
    expect(config.webDir).toBe(path.resolve('dist/web'));
  });

  it('lists every bad variable with its value and accepted form in one error', () => {
    const bad = {
      PORT: 'abc',
      HOST: 'my host',
      GEOCROP_DEMO_SEED: '-1',
      GEOCROP_DEMO_SEASONS: '2022,twenty',
      GEOCROP_STAC_URL: 'ftp://example.org/stac',
      GEOCROP_S3_HTTPS_TEMPLATE: 'https://{bucket}.example.org/',
      GEOCROP_MAX_RADIUS_M: '0',
      GEOCROP_FAULT_LATENCY_MS: '1.5',
      GEOCROP_FAULT_ERROR_RATE: '2',
      GEOCROP_FAULT_429_RATE: 'often',
      GEOCROP_FAULT_RETRY_AFTER_S: '1e9',
      GEOCROP_FAULT_SEED: 'x',
      GEOCROP_PROXY_HOSTS: 'bucket.example.org,https://evil.example/',
    };
    let error: unknown;
    try {
      loadConfig(bad, CWD);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GeoCropError);
    const e = error as GeoCropError;
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(/^Invalid configuration: 13 environment variables to fix:/);
    for (const [name, value] of Object.entries(bad)) {
      expect(e.message).toContain(`${name}=${JSON.stringify(value)}: expected ${CONFIG_VARIABLES[name as keyof typeof CONFIG_VARIABLES].accepted}`);
    }
    expect((e.details?.variables as { name: string }[]).map((v) => v.name).sort()).toEqual(Object.keys(bad).sort());
  });

  it('names a single bad variable in the singular', () => {
    expect(() => loadConfig({ GEOCROP_FAULT_ERROR_RATE: '1.01' }, CWD)).toThrow(
      /1 environment variable to fix:\n {2}GEOCROP_FAULT_ERROR_RATE="1.01": expected a probability between 0 and 1 \(default "0"\)/,
    );
  });
});

describe('proxy hosts', () => {
  it('adds the S3 template host when it is one fixed host, never a {bucket} wildcard', () => {
    expect(loadConfig({ GEOCROP_S3_HTTPS_TEMPLATE: 'https://CDN.example.org:8443/{bucket}/{key}', GEOCROP_PROXY_HOSTS: 'a.example.org' }, CWD).proxyHosts).toEqual([
      'a.example.org',
      'cdn.example.org:8443',
    ]);
    expect(loadConfig({ GEOCROP_S3_HTTPS_TEMPLATE: 'https://{bucket}.s3.eu-west-1.amazonaws.com/{key}', GEOCROP_PROXY_HOSTS: 'a.example.org' }, CWD).proxyHosts).toEqual(['a.example.org']);
    expect(loadConfig({ GEOCROP_S3_HTTPS_TEMPLATE: '/demo/s3/{bucket}/{key}', GEOCROP_PROXY_HOSTS: 'a.example.org,A.example.org' }, CWD).proxyHosts).toEqual(['a.example.org']);
  });
});

describe('publicConfig', () => {
  it('exposes only what the browser needs', () => {
    const pub = publicConfig(loadConfig({ GEOCROP_DEMO_DIR: '/secret/demo', GEOCROP_FAULT_ERROR_RATE: '0.5' }, CWD), [29.9, -17.9, 30.1, -17.7]);
    expect(pub).toEqual({
      stacUrl: 'https://explorer.digitalearth.africa/stac',
      s3HttpsTemplate: 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}',
      proxyTemplate: '/api/proxy?url={url}',
      maxRadiusM: 25000,
      demo: { stacUrl: '/demo/stac', s3HttpsTemplate: '/demo/s3/{bucket}/{key}', truthUrl: '/demo/truth', seed: 42, seasons: [2022, 2023], region: [29.9, -17.9, 30.1, -17.7] },
    });
    expect(JSON.stringify(pub)).not.toContain('/secret');
  });
});
