// The external conformance corpus (real and edge-case feeds written by other projects, read in place from
// ../shared/corpus): every document through parseFeed + normalizeItem gives items or one clear parse error, never a
// crash or a hang, with no markup or entities left in any item's text; the worker reader reads each one as the inline
// reader does; the legacy charsets decode to what the corpus says. Skipped, with one line, when the corpus is absent.

import { inlineDocumentReader } from '../../lambda/adapters/inline-document-reader';
import { WorkerDocumentReader } from '../../lambda/adapters/worker-document-reader';
import { decodeFeedBytes } from '../../lambda/core/charset';
import { FeedError } from '../../lambda/core/feed-error';
import { normalizeItem } from '../../lambda/core/normalize';
import { parseFeed } from '../../lambda/core/parse';
import type { NormalizedItem } from '../../lambda/core/types';
import { corpusFiles, corpusOrSkip, readCorpusFile, servedContentType } from '../support/corpus';

if (corpusOrSkip('test/corpus')) corpusSuite();
else describe.skip('the external feed corpus (not found)', () => test('needs ../shared/corpus', () => undefined));

function corpusSuite(): void {
  /** Per file; a parse that hangs fails here instead of stalling the suite. */
  const PER_FILE_TIMEOUT_MS = 20_000;
  const FEED = { name: 'Corpus feed', url: 'https://corpus.example/feed.xml' };

  const LEFTOVER_TAG = /<\/?[a-z][a-z0-9:-]*(?:[\s/>]|$)/i;
  const LEFTOVER_ENTITY = /&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);/i;

  interface Outcome {
    title?: string;
    items: NormalizedItem[];
    error?: FeedError;
  }

  async function run(file: string): Promise<Outcome> {
    const bytes = readCorpusFile(file);
    try {
      const feed = await parseFeed(bytes, servedContentType(bytes));
      return { title: feed.title, items: feed.items.map((raw) => normalizeItem(raw, FEED)) };
    } catch (error) {
      if (error instanceof FeedError) return { items: [], error };
      throw error; // anything else is a crash
    }
  }

  const files = corpusFiles();

  it('finds the corpus beside the project', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('real-feeds/guardian.rss');
    expect(files).toContain('edge-feeds/illformed/chardet/koi8r.xml');
  });

  describe.each(files)('%s', (file) => {
    it(
      'gives items or one clear parse error, with no markup or entities left in the text',
      async () => {
        const outcome = await run(file);
        if (outcome.error) {
          expect(outcome.error.code).toBe('parse');
          expect(outcome.error.message.length).toBeGreaterThan(10);
          return;
        }
        for (const item of outcome.items) {
          for (const text of [item.title, item.summary, item.content, item.publisher ?? '']) {
            expect(text).not.toMatch(LEFTOVER_TAG);
            expect(text).not.toMatch(LEFTOVER_ENTITY);
            expect(text).not.toMatch(/[\u0000-\u0008\u0080-\u009f]/);
          }
          if (item.link) expect(item.link).toMatch(/^https?:\/\//);
        }
      },
      PER_FILE_TIMEOUT_MS,
    );
  });

  describe('what the corpus says files decode to', () => {
    const firstItem = async (file: string): Promise<NormalizedItem> => {
      const outcome = await run(file);
      expect(outcome.error).toBeUndefined();
      const [item] = outcome.items;
      if (!item) throw new Error(`${file}: no item`);
      return item;
    };

    it.each([
      ['big5.xml', '我希望'],
      ['eucjp.xml', 'ゲーム三昧な正月'],
      ['euckr.xml', 'EUC-KR 에서 TypeKey 한글닉네임 표시하기'],
      ['gb2312.xml', '不归移民漫画系列：专业工作'],
      ['koi8r.xml', 'Как пережить новогоднюю ночь'],
      ['shiftjis.xml', 'DrecomRSSに記事投稿が反映されない…'],
    ])('chardet/%s: the undeclared legacy charset is guessed (%s)', async (file, expected) => {
      const outcome = await run(`edge-feeds/illformed/chardet/${file}`);
      expect([outcome.title, outcome.items[0]?.title].join(' ')).toContain(expected);
    });

    it.each([
      ['tis620.xml', /^สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ หรือ SIPA .*“Mambo Template Contest”/],
      ['windows1255.xml', /^האם תדפיס נייר של אתר אינטרנט/],
    ])('chardet/%s: the undeclared legacy charset is guessed', async (file, expected) => {
      expect((await firstItem(`edge-feeds/illformed/chardet/${file}`)).summary).toMatch(expected);
    });

    it.each([
      ['demoronize-1.xml', 'don’t'],
      ['demoronize-2.xml', 'don’t'],
      ['demoronize-3.xml', 'don’t'],
      ['double-encoded-html.xml', '…'],
      ['bozo_double-encoded-html.xml', '…'],
      ['http_text_xml_charset_2.xml', 'This is a £“test.”'],
      ['http_text_xml_charset_overrides_encoding_2.xml', 'This is a £“test.”'],
      ['euc-kr-item.xml', '년'],
    ])('encoding/%s: the description reads %j', async (file, expected) => {
      expect((await firstItem(`edge-feeds/encoding/${file}`)).summary).toBe(expected);
    });

    it.each([
      ['edge-feeds/encoding/euc-kr.xml', '년'],
      ['edge-feeds/encoding/http_i18n.xml', 'Iñtërnâtiônàlizætiøn'],
      ['edge-feeds/encoding/bozo_http_i18n.xml', 'Iñtërnâtiônàlizætiøn'],
      ['edge-feeds/illformed/always_strip_doctype.xml', 'found'],
      ['real-feeds/encoding.rss', 'Jornal de Notícias - Últimas Notícias'],
    ])('%s: the feed title reads %j', async (file, expected) => {
      expect((await run(file)).title).toBe(expected);
    });

    it('real-feeds/uolNoticias.rss: undeclared Latin-1 reads as Portuguese', async () => {
      expect((await firstItem('real-feeds/uolNoticias.rss')).title).toBe(
        'Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno',
      );
    });

    it('real-feeds/gulp-atom.atom: a relative Atom link resolves against the feed URL', async () => {
      expect((await firstItem('real-feeds/gulp-atom.atom')).link).toBe(
        'https://corpus.example/gulpjs/gulp/releases/tag/v3.9.0',
      );
    });

    it.each([
      ['real-feeds/unrecognized.rss', 'not an RSS or Atom feed (root element <head>)'],
      ['edge-feeds/illformed/rss_empty_document.xml', 'no XML element in the response: not a feed'],
    ])('%s: is one clear parse error', async (file, message) => {
      expect((await run(file)).error?.message).toBe(message);
    });
  });

  describe('WorkerDocumentReader on the corpus', () => {
    const FEED_REF = { name: 'Corpus feed', url: 'https://news.example.test/feed.xml' };
    let reader: WorkerDocumentReader;
    beforeAll(() => {
      reader = new WorkerDocumentReader({ threads: 2 });
    });
    afterAll(async () => {
      await reader.close();
    });

    /** What a read settles with, errors included, in a form two readers' answers can be compared by. */
    const outcome = (read: Promise<{ items: unknown[] }>): Promise<unknown> =>
      read.then(
        ({ items }) => ({ items }),
        (error: unknown) => ({ error: error instanceof FeedError ? `${error.code}: ${error.message}` : String(error) }),
      );

    it('reads every corpus document exactly as the inline reader does, failures included', async () => {
      const answers = await Promise.all(
        files.map(async (file) => {
          const bytes = readCorpusFile(file);
          const contentType = servedContentType(bytes) ?? 'application/xml';
          return {
            file,
            inThread: await outcome(inlineDocumentReader.read(bytes, contentType, FEED_REF)),
            onWorker: await outcome(reader.read(bytes, contentType, FEED_REF)),
          };
        }),
      );
      for (const { file, inThread, onWorker } of answers)
        expect({ file, answer: onWorker }).toEqual({ file, answer: inThread });
      expect(answers.some(({ onWorker }) => 'items' in (onWorker as object))).toBe(true);
      expect(answers.some(({ onWorker }) => 'error' in (onWorker as object))).toBe(true);
    });
  });

  describe('decodeFeedBytes on the corpus', () => {
    it('decodes the case served as windows-1252 with an iso-8859-1 declaration', () => {
      const bytes = readCorpusFile('edge-feeds/encoding/http_text_xml_charset_overrides_encoding_2.xml');
      expect(decodeFeedBytes(bytes, 'text/xml; charset=windows-1252')).toContain('This is a £“test.”');
    });

    it.each([
      'utf-16be-autodetect.xml',
      'utf-16le-autodetect.xml',
      'utf-32be-autodetect.xml',
      'utf-32le-autodetect.xml',
      'utf-16be-bom.xml',
      'utf-32le-bom.xml',
      'u16.xml',
      'utf_32.xml',
    ])('%s decodes to readable XML', (file) => {
      const decoded = decodeFeedBytes(readCorpusFile(`edge-feeds/encoding/${file}`));
      expect(decoded).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<!--/);
      expect(decoded).toContain('<rss>');
      expect(decoded).not.toContain('\u0000');
    });

    it('keeps going on bytes invalid in the charset a BOM names', () => {
      const decoded = decodeFeedBytes(readCorpusFile('edge-feeds/encoding/bozo_invalid-bytes-with-bom.xml'));
      expect(decoded).toContain('Valid UTF8: Ѩ');
      expect(decoded).toContain('Espa\ufffda');
    });
  });
}
