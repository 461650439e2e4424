/**
 * `npx tsx models/bench/browser/cli.ts [--threads 1,2] [--rows N] [--batch N] [--json]`: the browser half of
 * `npm run bench`'s model table alone — every shipped bundle and the reference MLP in a Chromium module Worker.
 * Prints one line (or JSON record) per model and thread count; without /usr/bin/chromium it says so and exits 0.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand, UsageError } from '../../cli-entry';
import { BENCH_BATCH, BENCH_ROWS } from '../measure';
import { benchTargets } from '../targets';
import { browserBenchUnavailable, runBrowserBench } from './browser-bench';

const USAGE = `Usage: npx tsx models/bench/browser/cli.ts [--threads 1,2] [--rows ${BENCH_ROWS}] [--batch ${BENCH_BATCH}] [--json]`;

function parse(argv: readonly string[]): { threads: number[]; rows: number; batch: number; json: boolean } | null {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { threads: { type: 'string', default: '1,2' }, rows: { type: 'string', default: String(BENCH_ROWS) }, batch: { type: 'string', default: String(BENCH_BATCH) }, json: { type: 'boolean', default: false }, help: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return null;
  const whole = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes whole numbers ≥ 1, got "${v}"`);
    return n;
  };
  return { threads: values.threads.split(',').map((t) => whole('threads', t.trim())), rows: whole('rows', values.rows), batch: whole('batch', values.batch), json: values.json };
}

runCommand(import.meta.url, USAGE, parse, async ({ threads, rows, batch, json }) => {
  const missing = browserBenchUnavailable();
  if (missing) {
    console.error(missing);
    return;
  }
  const targets = await benchTargets(path.join(import.meta.dirname, '..', '..', '..', '.cache', 'bench', 'models'));
  const results = await runBrowserBench({ targets, threads, rows, batch, log: (l) => console.error(l) });
  for (const r of results) {
    console.log(json ? JSON.stringify(r) : `${r.model.padEnd(24)} ${r.threads} thread(s) (isolated ${r.isolated}, ${r.thread_workers} thread Workers)  open ${r.open_ms} ms  first pass ${(r.first_pass_rows_per_s / 1e3).toFixed(0)}k rows/s  session.run ${(r.run_rows_per_s / 1e3).toFixed(0)}k rows/s  classify ${(r.classify_rows_per_s / 1e3).toFixed(0)}k rows/s`);
  }
});
