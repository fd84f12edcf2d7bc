// Lambda bundles as the stack builds them: size, and cold init (import + first call) in a fresh process vs bare node.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DynamoStateStore } from '../lambda/adapters/dynamo-state-store';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { BUNDLED_WATCHLIST_CONSTANT, EnvName } from '../lambda/handlers/env';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/handlers/metrics';
import { pollErrorsAlarmEvent } from '../test/support/alarm-event';
import { startDynalite } from '../test/support/dynalite';
import { FAKE_AWS } from '../test/support/fake-aws';
import { startFauxqs } from '../test/support/fauxqs';
import { benchFlags, fmt, heading, median, ms, table, target } from './support/report';

const ROOT = path.resolve(__dirname, '..');
const HANDLERS_DIR = path.join(ROOT, 'lambda', 'handlers');
const { quick } = benchFlags();
const RUNS = quick ? 3 : 7;
const MAX_BUNDLE_BYTES = 1_000_000;
const MAX_INIT_MS = 150;

/** The first invocation each handler gets here: one that builds everything and calls nothing outside 127.0.0.1. */
const FIRST_EVENTS: Record<string, unknown> = {
  poll: { Records: [] },
  dispatch: {},
  digest: { scheduledTime: new Date().toISOString() },
  // An alarm firing: the notifier formats it and publishes it to a topic on the local SNS.
  'ops-notify': pollErrorsAlarmEvent(),
};

/** Handler modules: the files under lambda/handlers that export `handler`. */
function handlerEntries(): string[] {
  return readdirSync(HANDLERS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => /export const handler\b/.test(readFileSync(path.join(HANDLERS_DIR, file), 'utf8')))
    .map((file) => path.basename(file, '.ts'))
    .sort();
}

/** lib/constructs/news-alerts-function.ts's bundling: NodejsFunction's esbuild defaults plus the stack's options. */
async function bundle(
  name: string,
  outdir: string,
): Promise<{ js: number; map: number; zipped: number; sdkPackages: string[] }> {
  const { subscribers: _dropped, ...watchlist } = loadWatchlist();
  const outfile = path.join(outdir, name, 'index.js');
  const built = await build({
    entryPoints: [path.join(HANDLERS_DIR, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: ['@aws-sdk/*'],
    define: { [BUNDLED_WATCHLIST_CONSTANT]: JSON.stringify(JSON.stringify({ ...watchlist, subscribers: [] })) },
    outfile,
    metafile: true,
    logLevel: 'warning',
  });
  const js = readFileSync(outfile);
  const map = readFileSync(`${outfile}.map`);
  // The AWS SDK packages the bundle leaves to the runtime: what it imports before any code of ours runs.
  const imports = Object.values(built.metafile.outputs).flatMap((output) => output.imports);
  const sdkPackages = [
    ...new Set(imports.filter((entry) => entry.external && entry.path.startsWith('@aws-sdk/')).map((e) => e.path)),
  ].sort();
  return { js: js.length, map: map.length, zipped: gzipSync(js).length + gzipSync(map).length, sdkPackages };
}

/** Wall time of one child process, from spawn to exit, and what it printed last. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; lastLine: string }> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${errors || output}`));
      else resolve({ wallMs, lastLine: output.trimEnd().split('\n').at(-1) ?? '' });
    });
  });
}

/** Runs in the fresh process: require the bundle, call its handler once, print both times (ms since process start). */
const INIT_SCRIPT = `
const started = performance.now();
const cpu = process.cpuUsage();
const { handler } = require(process.argv[2]);
const imported = performance.now();
const event = JSON.parse(process.argv[3]);
handler(event).then(async () => {
  const called = performance.now();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  // The same call warm: what the request itself costs, so first call minus it is the one-time construction.
  const warmCpu = process.cpuUsage();
  await handler(event);
  const warm = process.cpuUsage(warmCpu);
  console.log(JSON.stringify({
    started, importMs: imported - started, firstCallMs: called - imported, cpuMs,
    warmCallMs: performance.now() - called, warmCpuMs: (warm.user + warm.system) / 1000,
  }));
});
`;

/** Runs in a fresh process: require only the AWS SDK packages a bundle imports, and print the CPU it took. */
const SDK_SCRIPT = `
const cpu = process.cpuUsage();
for (const name of JSON.parse(process.argv[2])) require(name);
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
`;

interface InitFigures {
  /** The whole process, spawn to exit. */
  wallMs: number;
  importMs: number;
  firstCallMs: number;
  /** CPU time (all threads) of import + first call: what init costs however loaded the machine is. */
  cpuMs: number;
  /** The same call again, warm: the request's own cost, which the first call includes. */
  warmCallMs: number;
  warmCpuMs: number;
  /** CPU of requiring the bundle's AWS SDK packages alone, in a process of their own: the part of init that is the SDK. */
  sdkCpuMs: number;
}

/** Medians over RUNS rounds; each round starts bare node once and every bundle once, so load bursts hit all alike. */
async function measureInit(
  entries: string[],
  scriptFile: string,
  sdkPackages: Map<string, string[]>,
  env: NodeJS.ProcessEnv,
): Promise<{ bareMs: number; byEntry: Map<string, InitFigures> }> {
  const sdkScript = path.join(path.dirname(scriptFile), 'sdk.js');
  writeFileSync(sdkScript, SDK_SCRIPT);
  const bare: number[] = [];
  const runs = new Map<string, InitFigures[]>();
  for (let round = 0; round < RUNS; round++) {
    bare.push((await timeProcess(['-e', ''], env)).wallMs);
    for (const name of entries) {
      const event = FIRST_EVENTS[name];
      if (event === undefined) continue;
      const bundleFile = path.join(path.dirname(scriptFile), name, 'index.js');
      const { wallMs, lastLine } = await timeProcess([scriptFile, bundleFile, JSON.stringify(event)], env);
      const figures = JSON.parse(lastLine) as Omit<InitFigures, 'wallMs' | 'sdkCpuMs'>;
      const sdk = await timeProcess([sdkScript, JSON.stringify(sdkPackages.get(name) ?? [])], env);
      const { cpuMs: sdkCpuMs } = JSON.parse(sdk.lastLine) as { cpuMs: number };
      runs.set(name, [...(runs.get(name) ?? []), { wallMs, ...figures, sdkCpuMs }]);
    }
  }
  const byEntry = new Map<string, InitFigures>();
  for (const [name, figures] of runs) {
    byEntry.set(name, {
      wallMs: median(figures.map((f) => f.wallMs)),
      importMs: median(figures.map((f) => f.importMs)),
      firstCallMs: median(figures.map((f) => f.firstCallMs)),
      cpuMs: median(figures.map((f) => f.cpuMs)),
      warmCallMs: median(figures.map((f) => f.warmCallMs)),
      warmCpuMs: median(figures.map((f) => f.warmCpuMs)),
      sdkCpuMs: median(figures.map((f) => f.sdkCpuMs)),
    });
  }
  return { bareMs: median(bare), byEntry };
}

/** Import and construction: the first call's one-time part, its request (timed again warm) taken out. */
const initWall = (figures: InitFigures) => figures.importMs + figures.firstCallMs - figures.warmCallMs;
const initCpu = (figures: InitFigures) => figures.cpuMs - figures.warmCpuMs;

async function main(): Promise<void> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'news-alerts-bundles-'));
  const [dynamo, sns] = await Promise.all([startDynalite(), startFauxqs()]);
  try {
    const entries = handlerEntries();
    heading(
      `Lambda bundles: ${entries.join(', ')} built as the stack builds them (esbuild, minify, source map without ` +
        `sources, cjs, node24, @aws-sdk/* external); init in a fresh node process, ${RUNS} runs, medians`,
    );
    const sizes = new Map<string, Awaited<ReturnType<typeof bundle>>>();
    for (const name of entries) sizes.set(name, await bundle(name, outdir));

    // Dispatch's first call lists the feeds: every bundled feed waits out a backoff, so it queues nothing.
    const tableName = await dynamo.createStateTable();
    const state = new DynamoStateStore({ client: dynamo.client, tableName });
    for (const feed of loadWatchlist().feeds) {
      await state.putFeed({ url: feed.url, consecutiveFailures: 1, nextAttemptAt: Date.now() + 86_400_000 });
    }
    const opsTopicArn = await sns.createTopic('bench-ops');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_PATH: path.join(ROOT, 'node_modules'), // the Lambda runtime provides @aws-sdk/*; here node_modules does
      AWS_REGION: FAKE_AWS.region,
      AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9', // anything but DynamoDB and SNS would fail here, never reach AWS
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      [EnvName.stateTableName]: tableName,
      [EnvName.alertsTopicArn]: 'arn:aws:sns:us-east-1:123456789012:news-alerts-alerts',
      [EnvName.digestTopicArn]: 'arn:aws:sns:us-east-1:123456789012:news-alerts-digest',
      [EnvName.digestAudiences]: JSON.stringify([{ key: 'everything' }]),
      [EnvName.feedJobsQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/123456789012/news-alerts-feed-jobs',
      [EnvName.opsTopicArn]: opsTopicArn,
    };
    const scriptFile = path.join(outdir, 'init.js');
    writeFileSync(scriptFile, INIT_SCRIPT);

    // The stack sets NODE_OPTIONS=--enable-source-maps; the same run without it shows what that costs at start.
    const sdkPackages = new Map([...sizes].map(([name, size]) => [name, size.sdkPackages]));
    const asDeployed = await measureInit(entries, scriptFile, sdkPackages, {
      ...env,
      NODE_OPTIONS: '--enable-source-maps',
    });
    const withoutMaps = await measureInit(entries, scriptFile, sdkPackages, { ...env, NODE_OPTIONS: '' });
    table(
      [
        'bundle',
        'index.js',
        'zipped',
        'import',
        'first call',
        'warm call',
        'init',
        'init CPU',
        'of it SDK import',
        'import+first CPU',
        'over bare node',
        'init, no maps',
      ],
      entries.map((name) => {
        const size = sizes.get(name)!;
        const sizeCells = [`${fmt(size.js / 1024)} KiB`, `${fmt(size.zipped / 1024)} KiB`];
        const deployed = asDeployed.byEntry.get(name);
        const plain = withoutMaps.byEntry.get(name);
        if (deployed === undefined || plain === undefined) return [name, ...sizeCells, 'no first event defined'];
        return [
          name,
          ...sizeCells,
          ms(deployed.importMs),
          ms(deployed.firstCallMs),
          ms(deployed.warmCallMs),
          ms(initWall(deployed)),
          ms(initCpu(deployed)),
          ms(deployed.sdkCpuMs),
          ms(deployed.cpuMs),
          `${ms(deployed.wallMs - asDeployed.bareMs)} (${fmt(deployed.wallMs / asDeployed.bareMs, 1)}x)`,
          ms(initWall(plain)),
        ];
      }),
    );
    console.log(
      `bare \`node -e ''\`: ${ms(asDeployed.bareMs)} per process with --enable-source-maps, ` +
        `${ms(withoutMaps.bareMs)} without. import = require of the bundle; first call = config, clients, Powertools, ` +
        'matcher, and the call itself (dispatch and digest make one local DynamoDB query; poll gets an empty batch; ' +
        'ops-notify publishes one alarm email to a local SNS); warm call = the same call again; init = import and ' +
        'client construction as the target means it: import + first call - warm call (wall, and CPU); ' +
        "of it SDK import = CPU of requiring the bundle's @aws-sdk packages alone in a fresh process " +
        `(${[...new Set([...sdkPackages.values()].flat())].join(', ')}); ` +
        'import+first CPU = the stricter figure, the first request included; over bare node = the whole process ' +
        'minus a bare node start (and the ratio of the two); zipped = index.js and its source map, gzipped.',
    );

    const largest = Math.max(...[...sizes.values()].map((size) => size.js));
    target(
      'each bundle < 1 MB',
      largest < MAX_BUNDLE_BYTES,
      [...sizes.entries()].map(([name, size]) => `${name} ${fmt(size.js / 1024)} KiB`).join(', '),
    );
    const inits = [...asDeployed.byEntry.entries()];
    const initText = inits.map(
      ([name, figures]) =>
        `${name} ${ms(initCpu(figures))} CPU (${ms(figures.sdkCpuMs)} of it importing the AWS SDK; ` +
        `${ms(initWall(figures))} wall; ${ms(figures.cpuMs)} CPU with the first request)`,
    );
    target(
      'init (import + client construction) < 150 ms',
      inits.every(([, figures]) => initCpu(figures) < MAX_INIT_MS),
      `${initText.join(', ')}; bare node ${ms(asDeployed.bareMs)}`,
    );
  } finally {
    await Promise.all([dynamo.stop(), sns.stop()]);
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
