// WorkerDocumentReader on real worker threads: the same items as reading inline, errors per document, a time bound.

import iconv from 'iconv-lite';
import { inlineDocumentReader } from '../../lambda/adapters/inline-document-reader';
import {
  documentReaderFor,
  readerThreadSource,
  WorkerDocumentReader,
} from '../../lambda/adapters/worker-document-reader';
import { FeedError } from '../../lambda/core/feed-error';

const FEED = { name: 'Test feed', url: 'https://news.example.test/feed.xml' };

const RSS_ITEM =
  '<item><title>Krebs fired</title><link>/news/1</link><description>CISA &amp; the vote</description></item>';

/** Documents of every kind a reader meets, with the Content-Type each is served with: feeds and things that are not. */
const DOCUMENTS: [name: string, body: Buffer, contentType: string][] = [
  [
    'RSS 2.0',
    Buffer.from(`<rss version="2.0"><channel><title>T</title>${RSS_ITEM}</channel></rss>`),
    'application/rss+xml',
  ],
  [
    'RSS 2.0 with CDATA and entities',
    Buffer.from(
      '<rss version="2.0"><channel><item><title><![CDATA[Sterling <b>says</b>]]></title><description>&lt;p&gt;Georgia&#8217;s count&lt;/p&gt;</description></item></channel></rss>',
    ),
    'application/rss+xml',
  ],
  [
    'Atom with a relative link',
    Buffer.from(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>Masterson leaves CISA</title><link href="/a/1"/><id>urn:1</id><updated>2020-11-18T00:00:00Z</updated></entry></feed>',
    ),
    'application/atom+xml',
  ],
  [
    'RSS 1.0 (RDF)',
    Buffer.from(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel><item><title>Raffensperger certifies</title><link>https://example.test/r</link></item></rdf:RDF>',
    ),
    'application/rdf+xml',
  ],
  [
    'a declared legacy charset',
    iconv.encode(
      `<?xml version="1.0" encoding="ISO-8859-2"?><rss><channel><item><title>Łódź</title></item></channel></rss>`,
      'iso-8859-2',
    ),
    'text/xml',
  ],
  [
    'an undeclared Shift_JIS feed',
    iconv.encode(
      '<rss><channel><item><title>選挙セキュリティ担当の長官が解任された</title><description>アメリカ大統領はツイッターで長官を解任したと発表しました。</description></item></channel></rss>',
      'shift_jis',
    ),
    'application/xml',
  ],
  [
    'UTF-16LE with a BOM',
    Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`<rss><channel>${RSS_ITEM}</channel></rss>`, 'utf-16le')]),
    'application/xml',
  ],
  [
    'a bare ampersand',
    Buffer.from('<rss><channel><item><title>AT&T and CISA</title></item></channel></rss>'),
    'text/xml',
  ],
  [
    'a truncated document',
    Buffer.from(`<rss version="2.0"><channel>${RSS_ITEM}<item><title>Half`),
    'application/rss+xml',
  ],
  [
    'an empty channel',
    Buffer.from('<rss version="2.0"><channel><title>E</title></channel></rss>'),
    'application/rss+xml',
  ],
  ['an HTML page', Buffer.from('<!DOCTYPE html><html><body><p>Sign in</p></body></html>'), 'text/html'],
  ['an unknown root element', Buffer.from('<head><title>not a feed</title></head>'), 'application/xml'],
  ['plain text', Buffer.from('Service Unavailable'), 'text/plain'],
  ['an empty body', Buffer.alloc(0), 'application/xml'],
];

let reader: WorkerDocumentReader;

beforeAll(() => {
  reader = new WorkerDocumentReader({ threads: 2 });
});

afterAll(async () => {
  await reader.close();
});

/** What a read settles with, errors included, in a form two readers' answers can be compared by. */
async function outcome(read: Promise<{ items: unknown[] }>): Promise<unknown> {
  return read.then(
    ({ items }) => ({ items }),
    (error: unknown) => ({ error: error instanceof FeedError ? `${error.code}: ${error.message}` : String(error) }),
  );
}

describe('WorkerDocumentReader', () => {
  it('reads every kind of document exactly as the inline reader does, failures included', async () => {
    const answers = await Promise.all(
      DOCUMENTS.map(async ([name, bytes, contentType]) => ({
        name,
        inThread: await outcome(inlineDocumentReader.read(bytes, contentType, FEED)),
        onWorker: await outcome(reader.read(bytes, contentType, FEED)),
      })),
    );
    for (const { name, inThread, onWorker } of answers)
      expect({ name, answer: onWorker }).toEqual({ name, answer: inThread });
    // Both paths were compared: documents read into items, and documents refused with an error.
    const read = answers.filter(({ onWorker }) => 'items' in (onWorker as object)).map(({ name }) => name);
    expect(read).toEqual(
      expect.arrayContaining(['RSS 2.0', 'Atom with a relative link', 'an undeclared Shift_JIS feed']),
    );
    const refused = answers.filter(({ onWorker }) => 'error' in (onWorker as object)).map(({ name }) => name);
    expect(refused).toEqual(expect.arrayContaining(['an HTML page', 'plain text', 'an empty body']));
  });

  it('fails a document that is not a feed as a parse error of that document alone', async () => {
    const html = reader.read(Buffer.from('<html><body>Sign in</body></html>'), 'text/html', FEED);
    const rss = reader.read(
      Buffer.from('<rss version="2.0"><channel><item><title>Krebs fired</title></item></channel></rss>'),
      'application/rss+xml',
      FEED,
    );
    await expect(html).rejects.toEqual(new FeedError('parse', 'got an HTML page, not an RSS or Atom feed'));
    expect((await rss).items.map((item) => item.title)).toEqual(['Krebs fired']);
  });

  it('gives up on a document still being read after its time limit, and goes on reading others', async () => {
    const slow = new WorkerDocumentReader({ threads: 1, timeoutMs: 50 });
    try {
      const items = Array.from({ length: 40_000 }, (_, i) => `<item><title>Item ${i}</title></item>`).join('');
      const huge = Buffer.from(`<rss version="2.0"><channel>${items}</channel></rss>`);
      await expect(slow.read(huge, 'application/rss+xml', FEED)).rejects.toThrow(
        /^document still not read after 50 ms: not a feed$/,
      );
      const small = Buffer.from('<rss version="2.0"><channel><item><title>CISA</title></item></channel></rss>');
      expect((await slow.read(small, 'application/rss+xml', FEED)).items).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  // A thread holds the next documents while it reads one (read-ahead), so the one that overruns its time limit must
  // not take those down with it.
  it('fails only the document that overran its time limit; those sent to the thread behind it are read anyway', async () => {
    const slow = new WorkerDocumentReader({ threads: 1, timeoutMs: 50, readAhead: 4 });
    try {
      const items = Array.from({ length: 40_000 }, (_, i) => `<item><title>Item ${i}</title></item>`).join('');
      const huge = Buffer.from(`<rss version="2.0"><channel>${items}</channel></rss>`);
      const small = (title: string) =>
        Buffer.from(`<rss version="2.0"><channel><item><title>${title}</title></item></channel></rss>`);
      const reads = [huge, small('Krebs'), small('CISA'), small('Raffensperger')].map((body) =>
        outcome(slow.read(body, 'application/rss+xml', FEED)),
      );
      const answers = await Promise.all(reads);
      expect(answers[0]).toEqual({ error: 'parse: document still not read after 50 ms: not a feed' });
      expect(answers.slice(1).map((answer) => (answer as { items: { title: string }[] }).items[0]?.title)).toEqual([
        'Krebs',
        'CISA',
        'Raffensperger',
      ]);
    } finally {
      await slow.close();
    }
  });

  it('reads on the calling thread when its threads cannot start, instead of restarting them forever', async () => {
    const broken = new WorkerDocumentReader({ threads: 2, threadSource: "throw new Error('no parser here')" });
    try {
      const rss = Buffer.from('<rss version="2.0"><channel><item><title>Masterson</title></item></channel></rss>');
      const reads = await Promise.all([1, 2, 3].map(() => broken.read(rss, 'application/rss+xml', FEED)));
      expect(reads.map(({ items }) => items.map((item) => item.title))).toEqual([
        ['Masterson'],
        ['Masterson'],
        ['Masterson'],
      ]);
      expect(broken.fallbackReason).toBe('no parser here');
    } finally {
      await broken.close();
    }
  });

  it('replaces a thread that exits while idle, so the next read does not wait out the time limit', async () => {
    // The real thread, which also exits shortly after answering a read for the feed named 'exit after'.
    const exiting = `${readerThreadSource()}
      require('node:worker_threads').parentPort.on('message', (job) => {
        if (job.feed.name === 'exit after') setTimeout(() => process.exit(3), 50);
      });`;
    const reader = new WorkerDocumentReader({ threads: 1, timeoutMs: 60_000, threadSource: exiting });
    try {
      const rss = Buffer.from('<rss version="2.0"><channel><item><title>Sterling</title></item></channel></rss>');
      await reader.read(rss, 'application/rss+xml', { ...FEED, name: 'exit after' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      expect((await reader.read(rss, 'application/rss+xml', FEED)).items).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await reader.close();
    }
  });

  it('refuses reads once closed', async () => {
    const closing = new WorkerDocumentReader({ threads: 1 });
    await closing.close();
    await expect(closing.read(Buffer.from('<rss/>'), 'application/rss+xml', FEED)).rejects.toThrow(/closed/);
  });
});

describe('documentReaderFor', () => {
  it('reads a small poll on this thread and a large one on worker threads', async () => {
    const small = documentReaderFor(10);
    const large = documentReaderFor(1_000);
    try {
      expect(small.reader).toBe(inlineDocumentReader);
      expect(large.reader).toBeInstanceOf(WorkerDocumentReader);
    } finally {
      await small.close();
      await large.close();
    }
  });
});
