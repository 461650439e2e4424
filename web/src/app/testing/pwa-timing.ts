/**
 * What `npm run bench` measures of the PWA in Chromium (768×1024, cross-origin isolated, offline demo world): for an
 * area typed into the form, seconds from "Map crops" to the baseline, to the preview and to the 10 m result on the
 * map, and the longest main-thread task during the run (PerformanceObserver 'longtask').
 */
import type { Page } from 'playwright-core';
import type { ServedApp } from './serve-app';

/** One measured run. */
export interface PwaTiming {
  radius_m: number;
  /** The baseline crop mask on the map (null: it never showed, e.g. the preview came first). */
  baseline_s: number | null;
  preview_s: number | null;
  full_s: number;
  longest_task_ms: number;
  long_tasks_over_200ms: number;
}

/** Types an area into the form (centre and radius). */
export async function setArea(page: Page, lon: number, lat: number, radiusM: number): Promise<void> {
  await page.getByTestId('lon').fill(String(lon));
  await page.getByTestId('lat').fill(String(lat));
  await page.getByTestId('lat').press('Enter');
  await page.getByTestId('radius').fill(String(radiusM));
}

/** Opens the app in a fresh context and times one run of each area (the first also warms the Workers). */
export async function timePwaRuns(app: ServedApp, areas: { lon: number; lat: number; radius_m: number }[]): Promise<PwaTiming[]> {
  const context = await app.browser.newContext({ viewport: { width: 768, height: 1024 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(app.url + '/');
    await page.getByTestId('try-demo').waitFor();
    // Let the Workers load onnxruntime and the model (the page does this while the person picks an area).
    await page.waitForTimeout(5000);
    const out: PwaTiming[] = [];
    for (const a of areas) {
      await setArea(page, a.lon, a.lat, a.radius_m);
      await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
      const t0 = Date.now();
      await page.getByTestId('run').click();
      let baselineS: number | null = null;
      let previewS: number | null = null;
      const seen = (name: RegExp, set: (s: number) => void) => page.getByRole('heading', { name }).waitFor({ timeout: 600_000 }).then(() => set((Date.now() - t0) / 1000), () => undefined);
      const baseline = seen(/^Baseline crop mask/, (s) => (baselineS = s));
      const preview = seen(/^Preview/, (s) => (previewS = s));
      await page.getByTestId('done').waitFor({ timeout: 600_000 });
      const fullS = (Date.now() - t0) / 1000;
      await Promise.race([Promise.all([baseline, preview]), Promise.resolve()]);
      const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      out.push({ radius_m: a.radius_m, baseline_s: baselineS, preview_s: previewS, full_s: fullS, longest_task_ms: Math.round(Math.max(0, ...tasks)), long_tasks_over_200ms: tasks.filter((d) => d > 200).length });
    }
    return out;
  } finally {
    await context.close();
  }
}
