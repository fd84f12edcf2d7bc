// Lambda bundles as the stack deploys them: size, and cold init (import + construction) in a fresh process, beside the
// same code on the runtime's AWS SDK.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DynamoStateStore } from '../lambda/adapters/dynamo-state-store';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { EnvName } from '../lambda/contract/env';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/contract/metrics';
import type { Watchlist } from '../lambda/core/types';
import { lambdaBundling } from '../lib/constructs/news-alerts-function';
import { synthesizeStack } from '../test/infra/synthesized-stack';
import { pollErrorsAlarmEvent } from '../test/support/alarm-event';
import { startDynalite } from '../test/support/dynalite';
import { FAKE_AWS } from '../test/support/fake-aws';
import { startFauxqs } from '../test/support/fauxqs';
import { benchFlags, fmt, heading, median, ms, ratio, table, target } from './support/report';

const ROOT = path.resolve(__dirname, '..');
const HANDLERS_DIR = path.join(ROOT, 'lambda', 'handlers');
const { quick } = benchFlags();
const RUNS = quick ? 3 : 7;
const MAX_BUNDLE_BYTES = 1_000_000;
const MAX_INIT_MS = 150;
/** The Node.js the bundles start in: the Lambda runtime's major version if LAMBDA_NODE names one, else this one. */
const NODE = process.env.LAMBDA_NODE || process.execPath;

type FunctionName = 'poll' | 'dispatch' | 'digest' | 'ops-notify';
const FUNCTIONS: readonly FunctionName[] = ['digest', 'dispatch', 'ops-notify', 'poll'];

/** The first invocation each handler gets here: one that builds everything and calls nothing outside 127.0.0.1. */
const FIRST_EVENTS: Record<FunctionName, unknown> = {
  poll: { Records: [] },
  dispatch: {},
  digest: { scheduledTime: new Date().toISOString() },
  // An alarm firing: the notifier formats it and publishes it to a topic on the local SNS.
  'ops-notify': pollErrorsAlarmEvent(),
};

/** A bundle to start: the function it is, its index.js, and whether it takes the AWS SDK from outside (the runtime). */
interface Bundle {
  name: FunctionName;
  file: string;
  runtimeSdk: boolean;
}

/** Bytes of a bundle and its source map, and the two gzipped (about what the deployment zip holds). */
function bundleSize(bundleFile: string): { js: number; zipped: number } {
  const js = readFileSync(bundleFile);
  const map = readFileSync(`${bundleFile}.map`);
  return { js: js.length, zipped: gzipSync(js).length + gzipSync(map).length };
}

/**
 * The same function bundled the other way, for comparison in this run: the AWS SDK left to the Lambda runtime
 * (@aws-sdk/* external, so hundreds of its modules resolve and compile one by one) and the charset tables compiled in.
 */
async function runtimeSdkBundle(name: FunctionName, outdir: string, watchlist: Watchlist): Promise<string> {
  const options = lambdaBundling(name === 'ops-notify' ? {} : { watchlist });
  const outfile = path.join(outdir, name, 'index.js');
  await build({
    entryPoints: [path.join(HANDLERS_DIR, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target,
    mainFields: options.mainFields,
    minify: options.minify,
    sourcemap: options.sourceMap,
    sourcesContent: options.sourcesContent,
    external: ['@aws-sdk/*'],
    define: options.define,
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** Wall time of one child process, from spawn to exit, and what it printed last. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; lastLine: string }> {
  const start = performance.now();
  const child = spawn(NODE, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
}

/** Medians over RUNS rounds; each round starts bare node once and every bundle once, so load bursts hit all alike. */
async function measureInit(
  bundles: Map<string, Bundle>,
  scriptFile: string,
  env: NodeJS.ProcessEnv,
): Promise<{ bareMs: number; byBundle: Map<string, InitFigures> }> {
  const bare: number[] = [];
  const runs = new Map<string, InitFigures[]>();
  for (let round = 0; round < RUNS; round++) {
    bare.push((await timeProcess(['-e', ''], env)).wallMs);
    for (const [key, { name, file, runtimeSdk }] of bundles) {
      // Only the runtime-SDK build looks outside its bundle, for @aws-sdk/* (the Lambda runtime provides them there).
      const bundleEnv = runtimeSdk ? { ...env, NODE_PATH: path.join(ROOT, 'node_modules') } : env;
      const event = JSON.stringify(FIRST_EVENTS[name]);
      const { wallMs, lastLine } = await timeProcess([scriptFile, file, event], bundleEnv);
      const figures = JSON.parse(lastLine) as Omit<InitFigures, 'wallMs'>;
      runs.set(key, [...(runs.get(key) ?? []), { wallMs, ...figures }]);
    }
  }
  const byBundle = new Map<string, InitFigures>();
  for (const [key, figures] of runs) {
    const medianOf = (field: keyof InitFigures) => median(figures.map((f) => f[field]));
    byBundle.set(key, {
      wallMs: medianOf('wallMs'),
      importMs: medianOf('importMs'),
      firstCallMs: medianOf('firstCallMs'),
      cpuMs: medianOf('cpuMs'),
      warmCallMs: medianOf('warmCallMs'),
      warmCpuMs: medianOf('warmCpuMs'),
    });
  }
  return { bareMs: median(bare), byBundle };
}

/** Import and construction: the first call's one-time part, its request (timed again warm) taken out. */
const initWall = (figures: InitFigures) => figures.importMs + figures.firstCallMs - figures.warmCallMs;
const initCpu = (figures: InitFigures) => figures.cpuMs - figures.warmCpuMs;

async function main(): Promise<void> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'news-alerts-bundles-'));
  const [dynamo, sns] = await Promise.all([startDynalite(), startFauxqs()]);
  try {
    const nodeVersion = (await timeProcess(['-p', 'process.version'], {})).lastLine;
    heading(
      `Lambda bundles: ${FUNCTIONS.join(', ')} as \`cdk synth\` builds them (AWS SDK bundled), beside the same code on ` +
        `the runtime's AWS SDK (@aws-sdk/* external); init in fresh Node.js ${nodeVersion} processes ` +
        `(${NODE === process.execPath ? 'this machine’s; LAMBDA_NODE=<node binary> picks another' : 'LAMBDA_NODE'}), ` +
        `${RUNS} runs, medians`,
    );
    const watchlist = loadWatchlist();
    const synthesized = synthesizeStack();
    const bundles = new Map<string, Bundle>();
    for (const name of FUNCTIONS) {
      bundles.set(name, { name, file: synthesized.bundleOf(synthesized.functions[name]), runtimeSdk: false });
      bundles.set(`${name} on runtime SDK`, {
        name,
        file: await runtimeSdkBundle(name, outdir, watchlist),
        runtimeSdk: true,
      });
    }

    // Dispatch's first call lists the feeds: every bundled feed waits out a backoff, so it queues nothing.
    const tableName = await dynamo.createStateTable();
    const state = new DynamoStateStore({ client: dynamo.client, tableName });
    for (const feed of watchlist.feeds) {
      await state.putFeed({ url: feed.url, consecutiveFailures: 1, nextAttemptAt: Date.now() + 86_400_000 });
    }
    const opsTopicArn = await sns.createTopic('bench-ops');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
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
    const nodeOptions = String(synthesized.propertiesOf(synthesized.functions.poll).Environment.Variables.NODE_OPTIONS);
    const asDeployed = await measureInit(bundles, scriptFile, { ...env, NODE_OPTIONS: nodeOptions });
    // Read and gzipped once: the table and the size target both use them.
    const sizes = new Map([...bundles].map(([key, { file }]) => [key, bundleSize(file)]));
    const withoutMaps = await measureInit(bundles, scriptFile, { ...env, NODE_OPTIONS: '' });
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
        'import+first CPU',
        'over bare node',
        'init, no maps',
      ],
      [...bundles].map(([key]) => {
        const size = sizes.get(key)!;
        const deployed = asDeployed.byBundle.get(key)!;
        const plain = withoutMaps.byBundle.get(key)!;
        return [
          key,
          `${fmt(size.js / 1024)} KiB`,
          `${fmt(size.zipped / 1024)} KiB`,
          ms(deployed.importMs),
          ms(deployed.firstCallMs),
          ms(deployed.warmCallMs),
          ms(initWall(deployed)),
          ms(initCpu(deployed)),
          ms(deployed.cpuMs),
          `${ms(deployed.wallMs - asDeployed.bareMs)} (${fmt(deployed.wallMs / asDeployed.bareMs, 1)}x)`,
          ms(initWall(plain)),
        ];
      }),
    );
    console.log(
      `bare \`node -e ''\`: ${ms(asDeployed.bareMs)} per process with ${nodeOptions}, ` +
        `${ms(withoutMaps.bareMs)} without. import = require of the bundle; first call = config, clients, Powertools, ` +
        'matcher, and the call itself (dispatch and digest make one local DynamoDB query; poll gets an empty batch; ' +
        'ops-notify publishes one alarm email to a local SNS); warm call = the same call again; init = import and ' +
        'client construction as the target means it: import + first call - warm call (wall, and CPU); ' +
        'import+first CPU = the stricter figure, the first request included; over bare node = the whole process ' +
        'minus a bare node start (and the ratio of the two); zipped = index.js and its source map, gzipped.',
    );
    const deployedInit = FUNCTIONS.map((name) => initCpu(asDeployed.byBundle.get(name)!));
    const runtimeSdkInit = FUNCTIONS.map((name) => initCpu(asDeployed.byBundle.get(`${name} on runtime SDK`)!));
    console.log(
      `init CPU, SDK bundled against the runtime's SDK: ${FUNCTIONS.map(
        (name, i) => `${name} ${ratio(deployedInit[i]! / runtimeSdkInit[i]!, 2)}`,
      ).join(', ')}`,
    );

    const deployedSizes = FUNCTIONS.map((name) => [name, sizes.get(name)!.js] as const);
    target(
      'each bundle < 1 MB',
      deployedSizes.every(([, size]) => size < MAX_BUNDLE_BYTES),
      deployedSizes.map(([name, size]) => `${name} ${fmt(size / 1024)} KiB`).join(', '),
    );
    const initText = FUNCTIONS.map((name, i) => {
      const figures = asDeployed.byBundle.get(name)!;
      return (
        `${name} ${ms(deployedInit[i]!)} CPU (${ms(runtimeSdkInit[i]!)} on the runtime's SDK; ` +
        `${ms(initWall(figures))} wall; ${ms(figures.cpuMs)} CPU with the first request)`
      );
    });
    target(
      'init (import + client construction) < 150 ms',
      deployedInit.every((cpuMs) => cpuMs < MAX_INIT_MS),
      `${initText.join(', ')}; bare node ${ms(asDeployed.bareMs)}, Node.js ${nodeVersion}`,
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
