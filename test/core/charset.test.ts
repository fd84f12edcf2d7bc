// Charset detection and decoding: BOMs, HTTP charset, XML declaration, legacy code pages, guessing, bogus names.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { charsetFromContentType, decodeFeedBytes, guessLegacyCharset } from '../../lambda/core/charset';
import { readCorpusFile } from '../support/corpus';

const feedWithTitle = (title: string, encoding?: string): string =>
  `${encoding ? `<?xml version="1.0" encoding="${encoding}"?>\n` : ''}<rss version="2.0"><channel><title>${title}</title></channel></rss>`;

const titleOf = (text: string): string | undefined => /<title>([\s\S]*?)<\/title>/.exec(text)?.[1];

describe('decodeFeedBytes: the XML declaration names the charset', () => {
  const samples: [label: string, text: string][] = [
    ['GB2312', '不归移民漫画系列：专业工作'],
    ['GBK', '中华人民共和国外交部发言人表示'],
    ['Big5', '中華民國總統府發言人表示，這個問題'],
    ['Shift_JIS', 'DrecomRSSに記事投稿が反映されない…'],
    ['EUC-JP', 'ゲーム三昧な正月'],
    ['EUC-KR', '한글닉네임 표시하기'],
    ['KOI8-R', 'Как пережить новогоднюю ночь'],
    ['windows-1251', 'Правительство России заявило'],
    ['windows-1252', 'Café “smart quotes” — naïve'],
    ['windows-1255', 'האם תדפיס נייר של אתר אינטרנט'],
    ['ISO-8859-2', 'Zażółć gęślą jaźń, Příliš žluťoučký kůň'],
    ['TIS-620', 'สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ'],
  ];

  it.each(samples)('%s decodes to the original text', (label, text) => {
    const bytes = iconv.encode(feedWithTitle(text, label), label);
    expect(titleOf(decodeFeedBytes(bytes))).toBe(text);
  });

  it('rewrites the declared encoding to UTF-8 so the XML parser does not decode twice', () => {
    const decoded = decodeFeedBytes(iconv.encode(feedWithTitle('Żółć', 'ISO-8859-2'), 'ISO-8859-2'));
    expect(decoded.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(decoded).not.toContain('ISO-8859-2');
  });

  it('reads iso-8859-1 and us-ascii as windows-1252, as browsers do, so smart quotes survive', () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><title>don'),
      Buffer.from([0x92]),
      Buffer.from('t</title></channel></rss>'),
    ]);
    expect(titleOf(decodeFeedBytes(bytes))).toBe('don’t');
  });
});

describe('decodeFeedBytes: the HTTP Content-Type charset', () => {
  it('overrides the XML declaration', () => {
    const bytes = iconv.encode(feedWithTitle('שלום עולם', 'utf-8'), 'windows-1255');
    expect(titleOf(decodeFeedBytes(bytes, 'application/rss+xml; charset=windows-1255'))).toBe('שלום עולם');
  });

  it('applies to text/xml with quotes and spaces around the value', () => {
    const bytes = iconv.encode(feedWithTitle('Łódź', 'utf-8'), 'iso-8859-2');
    expect(titleOf(decodeFeedBytes(bytes, 'text/xml; charset = "ISO-8859-2"'))).toBe('Łódź');
  });

  it('takes text/xml without a charset as the declaration says (RFC 7303), not as US-ASCII', () => {
    const bytes = Buffer.from(feedWithTitle('Iñtërnâtiônàlizætiøn', 'utf-8'), 'utf8');
    expect(titleOf(decodeFeedBytes(bytes, 'text/xml'))).toBe('Iñtërnâtiônàlizætiøn');
  });

  it('decodes the corpus case served as windows-1252 with an iso-8859-1 declaration', () => {
    const bytes = readCorpusFile('edge-feeds/encoding/http_text_xml_charset_overrides_encoding_2.xml');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=windows-1252')).toContain('This is a £“test.”');
  });

  it('yields to the declaration when it says UTF-8 but the bytes are not', () => {
    const bytes = iconv.encode(feedWithTitle('Müller’s café', 'iso-8859-1'), 'windows-1252');
    expect(titleOf(decodeFeedBytes(bytes, 'text/xml; charset=utf-8'))).toBe('Müller’s café');
  });

  it('keeps the valid part of bytes every source calls UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('<rss><channel><title>Café', 'utf8'),
      Buffer.from([0xff]),
      Buffer.from('</title></channel></rss>'),
    ]);
    expect(titleOf(decodeFeedBytes(bytes, 'application/rss+xml; charset=UTF-8'))).toBe('Café\ufffd');
  });

  it('ignores a 16-bit charset claimed for bytes that start like ASCII', () => {
    const bytes = Buffer.from(feedWithTitle('Krebs'), 'utf8');
    expect(titleOf(decodeFeedBytes(bytes, 'application/xml; charset=utf-16'))).toBe('Krebs');
  });
});

describe('decodeFeedBytes: byte order marks and UTF-16/32 without one', () => {
  const text = feedWithTitle('Raffensperger – “Georgia”');

  it.each([
    ['UTF-8', [0xef, 0xbb, 0xbf], 'utf8'],
    ['UTF-16LE', [0xff, 0xfe], 'utf-16le'],
    ['UTF-16BE', [0xfe, 0xff], 'utf-16be'],
    ['UTF-32LE', [0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
    ['UTF-32BE', [0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  ])('a %s BOM decides the charset and is stripped', (_name, bom, encoding) => {
    const bytes = Buffer.concat([Buffer.from(bom), iconv.encode(text, encoding)]);
    expect(decodeFeedBytes(bytes)).toBe(text);
  });

  it('a BOM wins over a contradicting header', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toBe(text);
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
  ])('corpus %s decodes to readable XML', (file) => {
    const decoded = decodeFeedBytes(readCorpusFile(`edge-feeds/encoding/${file}`));
    expect(decoded).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<!--/);
    expect(decoded).toContain('<rss>');
    expect(decoded).not.toContain('\u0000');
  });
});

describe('decodeFeedBytes: no charset anywhere', () => {
  it('takes valid UTF-8 as UTF-8', () => {
    expect(titleOf(decodeFeedBytes(Buffer.from(feedWithTitle('Sterling’s “audit”'), 'utf8')))).toBe(
      'Sterling’s “audit”',
    );
  });

  it.each([
    ['big5.xml', '我希望'],
    ['eucjp.xml', 'ゲーム三昧な正月'],
    ['euckr.xml', 'EUC-KR 에서 TypeKey 한글닉네임 표시하기'],
    ['gb2312.xml', '不归移民漫画系列：专业工作'],
    ['koi8r.xml', 'Как пережить новогоднюю ночь'],
    ['shiftjis.xml', 'DrecomRSSに記事投稿が反映されない…'],
    ['tis620.xml', 'สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ'],
    ['windows1255.xml', 'האם תדפיס נייר של אתר אינטרנט'],
  ])('guesses the charset of undeclared legacy text (corpus chardet/%s)', (file, expected) => {
    expect(decodeFeedBytes(readCorpusFile(`edge-feeds/illformed/chardet/${file}`))).toContain(expected);
  });

  it('guesses windows-1252 for undeclared Western text', () => {
    const bytes = iconv.encode('Le café est fermé à cause de la grève, “dit-il”.', 'windows-1252');
    expect(guessLegacyCharset(bytes)).toBe('windows-1252');
    expect(decodeFeedBytes(bytes)).toBe('Le café est fermé à cause de la grève, “dit-il”.');
  });

  it('guesses windows-1251 for undeclared Russian text', () => {
    expect(guessLegacyCharset(iconv.encode('Правительство России заявило о выборах', 'windows-1251'))).toBe(
      'windows-1251',
    );
  });
});

describe('decodeFeedBytes: bogus charset names', () => {
  it.each([
    ['an unknown declared encoding', feedWithTitle('Krebs', 'bogus'), undefined],
    ['an unknown header charset', feedWithTitle('Krebs'), 'text/xml; charset=x-no-such-thing'],
    ['a header with a malformed parameter', feedWithTitle('Krebs'), 'text/xml; charset:iso-8859-1'],
    ['a label WHATWG maps to the replacement decoder', feedWithTitle('Krebs', 'iso-2022-kr'), undefined],
  ])('%s falls back to sniffing instead of failing', (_case, text, contentType) => {
    expect(titleOf(decodeFeedBytes(Buffer.from(text, 'utf8'), contentType))).toBe('Krebs');
  });

  it('keeps going on bytes invalid in the charset a BOM names', () => {
    const decoded = decodeFeedBytes(readCorpusFile('edge-feeds/encoding/bozo_invalid-bytes-with-bom.xml'));
    expect(decoded).toContain('Valid UTF8: Ѩ');
    expect(decoded).toContain('Espa\ufffda');
  });
});

// iconv-lite's codec tables cost the poll function milliseconds of every cold start (bench/lambda.ts), and most feeds
// never need them. A fresh process, as module caches are per process.
test('UTF-8 feeds decode without loading iconv-lite; the first feed in a legacy charset loads it', () => {
  const script = `
    const { decodeFeedBytes } = require(${JSON.stringify(join(__dirname, '..', '..', 'lambda', 'core', 'charset.ts'))});
    const iconvLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/iconv-lite/'));
    const titles = [];
    const decode = (bytes, contentType) => titles.push(/<title>(.*)<\\/title>/.exec(decodeFeedBytes(bytes, contentType))[1]);
    decode(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><rss><title>Café</title></rss>'), 'text/xml; charset=utf-8');
    decode(Buffer.from('<rss><title>naïve</title></rss>'));
    const afterUtf8 = iconvLoaded();
    decode(Buffer.from([...Buffer.from('<rss><title>caf'), 0xe9, ...Buffer.from('</title></rss>')]));
    console.log(JSON.stringify({ afterUtf8, afterLegacy: iconvLoaded(), titles }));
  `;
  const output = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({
    afterUtf8: false,
    afterLegacy: true,
    titles: ['Café', 'naïve', 'café'],
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['text/xml; charset=UTF-8', 'utf-8'],
    ["application/atom+xml;charset='gb2312'", 'gb2312'],
    ['application/rss+xml;charset= "us-ascii"', 'us-ascii'],
    ['text/xml; qs=0.9', undefined],
    ['text/xml;', undefined],
    [undefined, undefined],
  ])('%s -> %s', (header, expected) => {
    expect(charsetFromContentType(header)).toBe(expected);
  });
});
