// The shared feed corpus, read in place: every file, and the Content-Type a feedparser case says it was served with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED_DIR } from './shared-dir';

export const CORPUS_DIR = path.join(SHARED_DIR, 'corpus');

/** Every feed document under the corpus, recursively, as paths relative to CORPUS_DIR; licences and README skipped. */
export function corpusFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  return walk(CORPUS_DIR)
    .filter((file) => !/^(LICENSE|README)/i.test(path.basename(file)))
    .map((file) => path.relative(CORPUS_DIR, file))
    .sort();
}

export function readCorpusFile(relativePath: string): Buffer {
  return fs.readFileSync(path.join(CORPUS_DIR, relativePath));
}

/** feedparser cases note the HTTP header they were served with in a leading comment: `Header: Content-type: ...`. */
export function servedContentType(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes).subarray(0, 2048).toString('latin1');
  return /^\s*Header:\s*Content-type:\s*(.*?)\s*$/im.exec(head)?.[1];
}
