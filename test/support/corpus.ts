// The external conformance corpus (../shared/corpus beside the clone, or $NEWS_ALERTS_SHARED_DIR/corpus), read in
// place: found or not, every file, and the Content-Type a feedparser case says it was served with.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SHARED_DIR = process.env.NEWS_ALERTS_SHARED_DIR ?? path.resolve(__dirname, '../../../shared');

/** Where the corpus should be; it may not exist (a clone on its own has no ../shared). */
export const CORPUS_DIR = path.join(SHARED_DIR, 'corpus');

export function corpusIsPresent(): boolean {
  return fs.existsSync(CORPUS_DIR);
}

/**
 * For a suite that needs the corpus: true when it is there. When it is not, one line on stderr says what is skipped
 * and how to run it, or, with NEWS_ALERTS_REQUIRE_CORPUS=1 (as .ci/run sets), the suite fails instead.
 */
export function corpusOrSkip(suite: string): boolean {
  if (corpusIsPresent()) return true;
  const missing = `the external feed corpus is not at ${CORPUS_DIR}`;
  if (process.env.NEWS_ALERTS_REQUIRE_CORPUS === '1') {
    throw new Error(`${missing}, and NEWS_ALERTS_REQUIRE_CORPUS=1 requires it: ${suite} cannot be skipped here`);
  }
  process.stderr.write(
    `skipped ${suite}: ${missing}; to run it, put the shared material beside the clone (../shared) or set NEWS_ALERTS_SHARED_DIR\n`,
  );
  return false;
}

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
