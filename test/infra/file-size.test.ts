// Small files with one job: no source file under lambda/, lib/ or bin/ runs over 400 lines unless its opening comment
// says why ("Long: <reason>").
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAX_LINES = 400;
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

test('every source file is at most 400 lines, or says in its opening comment why it is longer', () => {
  const files = ['lambda', 'lib', 'bin'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
  expect(files).toContain('lambda/ports.ts');
  const tooLong = files.filter((file) => {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
    const opening = lines.slice(
      0,
      lines.findIndex((line) => !line.startsWith('//')),
    );
    return count > MAX_LINES && !opening.some((line) => /\bLong: \S/.test(line));
  });
  expect(tooLong).toEqual([]);
});
