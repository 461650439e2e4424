/**
 * `npm run classify -- --lon 30.05 --lat -17.80 --radius 2000 --year 2022 [--model ID] [--stac URL] [--out DIR] …`
 *
 * Maps crops for one area and season from the command line: stage progress on stderr, the output files in
 * `--out` (default `./out/<job_id>`), a summary on stdout. Without `--stac` the demo world is generated if missing
 * and served in-process. Failures print `CODE: message` on stderr and exit non-zero (2 for flag errors, 130 when
 * interrupted). `--help` lists every flag.
 */
import { setMaxListeners } from 'node:events';
import { loadConfig } from '../config';
import { parseClassifyArgs, USAGE } from './args';
import { classifyJob } from './classify';
import { describeFailure, formatSummary, progressPrinter } from './report';

async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  // Every COG read in flight listens to the job's signal (tens at once, removed when they settle); Node would
  // otherwise warn of a listener leak after 10.
  setMaxListeners(1000, controller.signal);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  process.once('SIGINT', () => {
    log('interrupted: stopping (Ctrl-C again to quit at once)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const t0 = performance.now();
  try {
    const args = parseClassifyArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    let lastWorldLine = '';
    const outcome = await classifyJob(args, {
      config: loadConfig(),
      cwd: process.cwd(),
      onProgress: progressPrinter(log),
      onWorldProgress: (p) => {
        if (p.phase === 'done') return;
        const line = p.phase === 'scenes' ? `demo world: season ${p.season} ${p.done}/${p.total} dates` : `demo world: ${p.phase}`;
        if (line !== lastWorldLine) log((lastWorldLine = line));
      },
    }, controller.signal);
    process.stdout.write(`${formatSummary(outcome, performance.now() - t0)}\n`);
    return 0;
  } catch (err) {
    const failure = describeFailure(err);
    log(failure.line);
    if (failure.usage) log(`\n${USAGE}`);
    return failure.exitCode;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
