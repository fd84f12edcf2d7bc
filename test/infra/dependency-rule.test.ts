// The dependency rule (docs/architecture.md) is enforced by the lint: an import against the layers fails with its name.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

let project: string;

beforeEach(() => {
  // The project's own biome.json over a scratch tree with the same folders, so no planted file enters the real one.
  project = mkdtempSync(join(tmpdir(), 'news-alerts-layers-'));
  copyFileSync(join(ROOT, 'biome.json'), join(project, 'biome.json'));
  // biome.json reads .gitignore (vcs.useIgnoreFile): the scratch tree needs it as the project has it.
  copyFileSync(join(ROOT, '.gitignore'), join(project, '.gitignore'));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

/** Lints one file planted at `path` (from the project root) and returns what Biome said and its exit code. */
function lintPlanted(path: string, source: string): Promise<{ code: number; output: string }> {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), source);
  return new Promise((done) => {
    execFile(BIOME, ['lint', '--colors=off', path], { cwd: project }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : Number(error.code ?? 1), output: stdout + stderr });
    });
  });
}

const importing = (specifier: string) => `import { planted } from '${specifier}';\n\nexport const uses = planted;\n`;

test.each([
  ['lambda/core/planted.ts', '../adapters/http-feed-source', 'core-imports-core'],
  ['lambda/core/planted.ts', 'node:fs', 'core-does-no-io'],
  ['lib/constructs/planted.ts', '../../lambda/handlers/poll', 'cdk-without-runtime'],
  ['lib/planted.ts', '../lambda/adapters/sns-alert-sink', 'cdk-without-runtime'],
  ['lambda/adapters/planted.ts', '../handlers/env', 'adapters-below-entry-points'],
  ['lambda/contract/planted.ts', '../ports', 'contract-imports-core'],
  ['lambda/cli/planted.ts', '../handlers/poll', 'entry-points-apart'],
  ['lambda/pipeline/planted.ts', '../adapters/inline-document-reader', 'use-case-through-ports'],
])('%s importing %s fails the lint naming [%s]', async (file, specifier, rule) => {
  const { code, output } = await lintPlanted(file, importing(specifier));
  expect(code).not.toBe(0);
  expect(output).toContain(`dependency rule [${rule}] (docs/architecture.md)`);
});

test.each([
  ['lambda/core/planted.ts', './story'],
  ['lib/constructs/planted.ts', '../../lambda/contract/env'],
  ['lambda/adapters/planted.ts', '../core/feed-error'],
  ['lambda/pipeline/planted.ts', '../core/feed-error'],
  ['lambda/handlers/planted.ts', '../adapters/sns-alert-sink'],
])('%s importing %s passes the lint', async (file, specifier) => {
  const { code, output } = await lintPlanted(file, importing(specifier));
  expect(output).not.toContain('dependency rule');
  expect(code).toBe(0);
});
