// Charset detection and decoding: BOMs, HTTP charset, XML declaration, legacy code pages, guessing, bogus names.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { charsetFromContentType, decodeFeedBytes, guessLegacyCharset } from '../../lambda/core/charset';

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

  it('decodes bytes served as windows-1252 under an ISO-8859-5 declaration as windows-1252', () => {
    const bytes = iconv.encode(feedWithTitle('Price: £5, “quoted”', 'ISO-8859-5'), 'windows-1252');
    expect(titleOf(decodeFeedBytes(bytes, 'text/xml; charset=windows-1252'))).toBe('Price: £5, “quoted”');
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

  // No BOM: the first bytes of `<?xml` tell the width and byte order (XML 1.0 appendix F).
  it.each([
    ['UTF-16BE', 'utf-16be'],
    ['UTF-16LE', 'utf-16le'],
    ['UTF-32BE', 'utf-32be'],
    ['UTF-32LE', 'utf-32le'],
    ['UTF-16', 'utf-16be'],
  ])('a feed declared %s without a BOM decodes to readable XML', (label, encoding) => {
    const decoded = decodeFeedBytes(iconv.encode(feedWithTitle('Raffensperger – “Georgia”', label), encoding));
    expect(decoded).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(titleOf(decoded)).toBe('Raffensperger – “Georgia”');
    expect(decoded).not.toContain('\u0000');
  });
});

describe('decodeFeedBytes: no charset anywhere', () => {
  it('takes valid UTF-8 as UTF-8', () => {
    expect(titleOf(decodeFeedBytes(Buffer.from(feedWithTitle('Sterling’s “audit”'), 'utf8')))).toBe(
      'Sterling’s “audit”',
    );
  });

  // Text of our own in each language, as a feed item's title and summary, with no charset named anywhere.
  const CHINESE_TRADITIONAL = ['選舉安全官員被解職', '美國總統在推特上宣布解除網絡安全局局長的職務。'];
  const CHINESE_SIMPLIFIED = ['选举安全官员被解职', '美国总统在推特上宣布解除网络安全局局长的职务。'];
  const JAPANESE = [
    '選挙セキュリティ担当の長官が解任された',
    'アメリカ大統領はツイッターで、サイバーセキュリティ庁の長官を解任したと発表しました。',
  ];
  const KOREAN = ['선거 보안 책임자 해임', '미국 대통령은 트위터를 통해 사이버보안 기관장을 해임했다고 밝혔습니다.'];
  const RUSSIAN = [
    'Уволен глава агентства по безопасности выборов',
    'Президент США объявил в твиттере об увольнении директора агентства кибербезопасности.',
  ];
  const THAI = ['ประธานาธิบดีสหรัฐปลดผู้อำนวยการหน่วยงาน', 'ผู้อำนวยการหน่วยงานความมั่นคงปลอดภัยไซเบอร์ถูกปลดผ่านทวิตเตอร์'];
  const HEBREW = ['נשיא ארצות הברית פיטר את ראש הסוכנות', 'ראש סוכנות אבטחת הסייבר פוטר בהודעה בטוויטר'];

  it.each([
    ['Big5', CHINESE_TRADITIONAL],
    ['GB2312', CHINESE_SIMPLIFIED],
    ['EUC-JP', JAPANESE],
    ['Shift_JIS', JAPANESE],
    ['EUC-KR', KOREAN],
    ['KOI8-R', RUSSIAN],
    ['TIS-620', THAI],
    ['windows-1255', HEBREW],
  ])('guesses the charset of undeclared %s text', (charset, [title, summary]) => {
    const feed = `<rss version="2.0"><channel><title>News</title><item><title>${title}</title><description>${summary}</description></item></channel></rss>`;
    const decoded = decodeFeedBytes(iconv.encode(feed, charset!));
    expect(decoded).toContain(title);
    expect(decoded).toContain(summary);
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
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<rss><channel><title>Valid UTF8: Ѩ</title><description>Espa', 'utf8'),
      Buffer.from([0xf1]),
      Buffer.from('a</description></channel></rss>'),
    ]);
    const decoded = decodeFeedBytes(bytes);
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
