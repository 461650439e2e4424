/**
 * Renders the PWA's PNG icons (public/icon-192.png, public/icon-512.png) from public/icon.svg with Debian's
 * Chromium: install prompts and some launchers want raster icons. Run after changing the SVG:
 * `tsx scripts/render-icons.ts` (the PNGs are committed; the build does not need Chromium).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');
const svg = await readFile(path.join(publicDir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0;background:#f7f8f3"><img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${size}" height="${size}"></body></html>`);
    await writeFile(path.join(publicDir, `icon-${size}.png`), await page.screenshot({ type: 'png' }));
    await page.close();
  }
} finally {
  await browser.close();
}
