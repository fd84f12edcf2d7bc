// The CDK side loads no runtime dependency: building the stack must not pull in an AWS SDK client or Powertools.
import { runNodeChild } from '../support/node-child';

/** The packages a fresh Node.js process has loaded after requiring `modules` (paths from the project root). */
async function packagesLoadedBy(modules: string[]): Promise<string[]> {
  const script = `
    for (const module of ${JSON.stringify(modules)}) require(require('node:path').resolve(module));
    const names = Object.keys(require.cache)
      .filter((file) => file.includes('/node_modules/'))
      .map((file) => file.split('/node_modules/').pop().split('/'))
      .map(([scope, name]) => (scope.startsWith('@') ? scope + '/' + name : scope));
    console.log(JSON.stringify([...new Set(names)].sort()));`;
  const child = await runNodeChild(['--require', 'tsx/cjs', '-e', script]);
  if (child.code !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

const RUNTIME_PACKAGES = /^(@aws-sdk\/|@aws-lambda-powertools\/|@smithy\/|rss-parser$|iconv-lite$|entities$)/;

test('loading the stack and its config loads no runtime package (no SDK client, no Powertools, no parser)', async () => {
  const loaded = await packagesLoadedBy(['lib/news-alerts-stack.ts', 'lib/config.ts']);
  expect(loaded).toContain('aws-cdk-lib');
  expect(loaded.filter((name) => RUNTIME_PACKAGES.test(name))).toEqual([]);
});

test('the contract the stack shares with the handlers (env names, metric names, SNS attributes) loads no package', async () => {
  const loaded = await packagesLoadedBy([
    'lambda/contract/env.ts',
    'lambda/contract/metrics.ts',
    'lambda/contract/sns-attributes.ts',
  ]);
  expect(loaded.filter((name) => name !== 'tsx' && name !== 'esbuild' && !name.startsWith('@esbuild'))).toEqual([]);
});
