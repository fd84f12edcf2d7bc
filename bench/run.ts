// `npm run bench [-- name ...] [-- --quick]`: runs the benchmarks, each in its own process, and lists every target.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fmt } from './support/report';

interface Benchmark {
  name: string;
  file: string;
  what: string;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'matcher', file: 'matcher.ts', what: 'matcher throughput at 10-10,000 entities vs a regex per alias' },
  { name: 'poll', file: 'poll-cycle.ts', what: 'poll cycles of 100-5,000 feeds through the real adapters' },
  { name: 'state', file: 'state-cost.ts', what: 'DynamoDB requests per cycle, counted against dynalite' },
  { name: 'lambda', file: 'lambda.ts', what: 'Lambda bundle sizes and cold module init' },
  { name: 'archive', file: 'archive.ts', what: 'the archive of items read: bytes per item, 14 days, poll cost' },
  { name: 'cost', file: 'monthly-cost.ts', what: 'monthly AWS cost model fed by the counted requests' },
  { name: 'stories', file: 'story-eval.ts', what: 'story clustering quality on the labelled sets' },
  { name: 'names', file: 'names.ts', what: 'bare-name matching quality on the labelled headline sets' },
];

interface Finished {
  benchmark: Benchmark;
  exitCode: number | null;
  seconds: number;
  targets: string[];
}

/** Runs one benchmark with tsx, passing its output through and keeping its PASS/MISS lines. */
function run(benchmark: Benchmark, flags: string[]): Promise<Finished> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, benchmark.file), ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // The SDK's notice that it will soon need a newer Node.js than this machine's would interleave with the tables.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const targets: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    targets.push(...lines.filter((line) => /^(PASS|MISS) /.test(line)));
  });
  return new Promise((resolve) => {
    child.on('close', (exitCode) => {
      if (/^(PASS|MISS) /.test(partial)) targets.push(partial);
      resolve({ benchmark, exitCode, seconds: (performance.now() - started) / 1000, targets });
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flags = args.filter((arg) => arg.startsWith('--'));
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0 || flags.some((flag) => flag !== '--quick')) {
    console.error(`usage: npm run bench [-- [--quick] [name ...]]\n`);
    for (const benchmark of BENCHMARKS) console.error(`  ${benchmark.name.padEnd(8)} ${benchmark.what}`);
    return 2;
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  const finished: Finished[] = [];
  for (const benchmark of selected) finished.push(await run(benchmark, flags));

  console.log('\n== summary');
  for (const { benchmark, exitCode, seconds, targets } of finished) {
    const state = exitCode === 0 ? '' : `  FAILED (exit ${exitCode})`;
    console.log(`${benchmark.name} (${fmt(seconds, 1)} s)${state}`);
    for (const line of targets) console.log(`  ${line}`);
  }
  return finished.every((result) => result.exitCode === 0) ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
});
