// The CDK App the infra tests synthesize: cdk.json's context (its feature flags) under the test's own, as `cdk synth` runs it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';

const CDK_JSON = join(__dirname, '..', '..', 'cdk.json');

/** The context cdk.json gives every `cdk synth` and `cdk deploy`: without it a test would check other defaults. */
export function projectContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

/** Cloud assemblies this process synthesized (4 MB each with their bundles), removed when it exits. */
const assemblyDirs: string[] = [];
function removeAssemblies(): void {
  for (const dir of assemblyDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
// After the test file under Jest (whose workers skip exit handlers); when the process exits elsewhere (benchmarks).
if (typeof afterAll === 'function') afterAll(removeAssemblies);
else process.once('exit', removeAssemblies);

export function projectApp(context: Record<string, unknown>): App {
  const outdir = mkdtempSync(join(tmpdir(), 'news-alerts-cdk-'));
  assemblyDirs.push(outdir);
  return new App({ outdir, context: { ...projectContext(), ...context } });
}
