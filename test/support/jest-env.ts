// Jest setup for every test file: quiet the AWS SDK's notice that its 2027 releases need Node.js 22, which every
// worker and child process would otherwise print between the results on Node.js 20 (the CLI hides it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// CDK writes "Bundling asset <path>..." to stderr for every function it bundles, tens of times in the infra tests;
// `cdk synth` still shows it. Only that exact line is dropped.
const BUNDLING_PROGRESS = /^Bundling asset \S+\.\.\.\r?\n$/;
const quieted = Symbol.for('news-alerts.quiet-bundling');
const stderr = process.stderr as NodeJS.WriteStream & { [quieted]?: true };
if (!stderr[quieted]) {
  stderr[quieted] = true;
  const write = stderr.write.bind(stderr) as (...args: unknown[]) => boolean;
  stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === 'string' && BUNDLING_PROGRESS.test(chunk) ? true : write(chunk, ...rest)) as typeof stderr.write;
}
