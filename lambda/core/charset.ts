// Feed bytes -> text: charset from a BOM, the HTTP header, the XML declaration, or a guess, decoded without crashing.
import { TextDecoder } from 'node:util';
import type * as IconvLite from 'iconv-lite';
import { lazily } from './lazily';

const UTF8 = 'utf-8';

/**
 * iconv-lite, set up the first time a feed needs it: most feeds are UTF-8, which Node decodes itself, and building
 * iconv-lite's codec tables is CPU in every cold start of the poll function (bench/lambda.ts).
 */
const legacyCodecs = lazily(() => require('iconv-lite') as typeof IconvLite);

/** Byte order marks, longest first so UTF-32LE (FF FE 00 00) is not taken for UTF-16LE (FF FE). */
const BOMS: { encoding: string; bytes: number[] }[] = [
  { encoding: 'utf-32le', bytes: [0xff, 0xfe, 0x00, 0x00] },
  { encoding: 'utf-32be', bytes: [0x00, 0x00, 0xfe, 0xff] },
  { encoding: UTF8, bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

/** `<?` (or `<` then a character) in UTF-16/32 without a BOM (XML 1.0 appendix F). */
const NUL_PATTERNS: { encoding: string; bytes: number[] }[] = [
  { encoding: 'utf-32be', bytes: [0x00, 0x00, 0x00, 0x3c] },
  { encoding: 'utf-32le', bytes: [0x3c, 0x00, 0x00, 0x00] },
  { encoding: 'utf-16be', bytes: [0x00, 0x3c] },
  { encoding: 'utf-16le', bytes: [0x3c, 0x00] },
];

/** Only this much of a feed is looked at when guessing a legacy charset: enough text, bounded time. */
const GUESS_SAMPLE_BYTES = 64 * 1024;

/**
 * Decodes a feed body to a string without its BOM. The encoding is, in order: a BOM (authoritative, RFC 7303 §3.3
 * and WHATWG), UTF-16/32 recognised from the first bytes, the Content-Type charset (which overrides the XML
 * declaration for every XML media type, RFC 3023/7303, except a UTF-8 claim the bytes contradict), the XML
 * declaration, then UTF-8 if the bytes are valid UTF-8, else a guess among common legacy charsets. `text/xml` without a charset is not forced to US-ASCII: RFC 7303 dropped
 * that default and real feeds served that way are UTF-8. An unknown charset name is skipped, never fatal. The
 * declaration's `encoding` is rewritten to UTF-8 so no XML parser re-decodes the text.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  return rewriteDeclaredEncoding(decodeWithDetectedCharset(bytes, contentType));
}

function decodeWithDetectedCharset(bytes: Uint8Array, contentType: string | undefined): string {
  const bom = BOMS.find((candidate) => startsWith(bytes, candidate.bytes));
  if (bom) return decodeAs(bom.encoding, bytes.subarray(bom.bytes.length)) ?? '';

  const wide = NUL_PATTERNS.find((candidate) => startsWith(bytes, candidate.bytes));
  if (wide) return decodeAs(wide.encoding, bytes) ?? '';

  const validUtf8 = decodeAs(UTF8, bytes, true);
  let claimsUtf8 = false;
  for (const label of [charsetFromContentType(contentType), declaredEncoding(bytes)]) {
    // A 16/32-bit charset named for bytes that start like ASCII cannot be right (the patterns above did not match).
    if (!label || /^(utf-?(16|32)|ucs-?[24]|unicode)/.test(label)) continue;
    // UTF-8 is many servers' default, named for feeds that are not: when the bytes say otherwise, ask the next source.
    if (resolveCharset(label) === UTF8) {
      if (validUtf8 !== undefined) return validUtf8;
      claimsUtf8 = true;
      continue;
    }
    const text = decodeAs(label, bytes);
    if (text !== undefined) return text;
  }
  if (validUtf8 !== undefined) return validUtf8;
  // Said to be UTF-8 by every source that spoke: keep what is valid, mark the rest with U+FFFD.
  return decodeAs(claimsUtf8 ? UTF8 : guessLegacyCharset(bytes), bytes) ?? '';
}

/** The `charset` parameter of a Content-Type value, normalised; undefined when absent or malformed. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("[^"]*"|'[^']*'|[^\s;"']+)/i.exec(contentType);
  return normalizeLabel(match?.[1]);
}

/** The `encoding` of an XML declaration near the start of an ASCII-compatible document. */
export function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = asBuffer(bytes.subarray(0, 1024)).toString('latin1');
  const match = /<\?xml\s[^>]*?encoding\s*=\s*("[^"]*"|'[^']*')/.exec(head);
  return normalizeLabel(match?.[1]);
}

function normalizeLabel(raw: string | undefined): string | undefined {
  const label = raw
    ?.replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase()
    .replace(/_/g, '-');
  return label ? label : undefined;
}

/**
 * Decodes with a named charset, or undefined when the name is unknown (or, with `fatal`, when the bytes are invalid).
 * Labels mean what they mean on the web (WHATWG: `iso-8859-1`/`us-ascii` are windows-1252, `gb2312` is GBK,
 * `tis-620` is windows-874); iconv-lite then does the decoding, as Node's TextDecoder reads windows-1252 as Latin-1,
 * and knows UTF-32 and code pages the web platform lacks.
 */
function decodeAs(label: string, bytes: Uint8Array, fatal = false): string | undefined {
  if (fatal) {
    try {
      return new TextDecoder(label, { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  const encoding = resolveCharset(label);
  if (!encoding) return undefined;
  const iconv = legacyCodecs();
  if (iconv.encodingExists(encoding)) return iconv.decode(asBuffer(bytes), encoding, { stripBOM: true });
  return new TextDecoder(encoding).decode(bytes);
}

/** The canonical name of a charset label, or undefined for one nobody knows. */
function resolveCharset(label: string): string | undefined {
  let encoding: string | undefined;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    // not a web label (ERR_ENCODING_NOT_SUPPORTED): maybe iconv-lite knows it
    return legacyCodecs().encodingExists(label) ? label : undefined;
  }
  // WHATWG maps a few dangerous labels (ISO-2022-KR, HZ) to "replacement", which decodes to a lone U+FFFD.
  return encoding === 'replacement' ? undefined : encoding;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, index) => bytes[index] === byte);
}

function rewriteDeclaredEncoding(text: string): string {
  return text.replace(
    /^(\s*(?:<!--[\s\S]*?-->\s*)*<\?xml\s[^>]*?encoding\s*=\s*)("[^"]*"|'[^']*')/,
    (_whole, start: string) => `${start}"UTF-8"`,
  );
}

/** Legacy charsets tried, in order of preference on a tie: Western first, as most undeclared feeds are. */
const GUESS_CANDIDATES = [
  'windows-1252',
  'gb18030',
  'big5',
  'shift_jis',
  'euc-jp',
  'euc-kr',
  'koi8-r',
  'windows-1251',
  'windows-1255',
  'windows-874',
] as const;

/**
 * Picks the candidate whose decoding of the first bytes reads most like text: each non-ASCII character scores by how
 * plausible it is in place (see `characterScore`); candidates that cannot decode the bytes at all drop out.
 */
export function guessLegacyCharset(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, GUESS_SAMPLE_BYTES);
  let best: string = GUESS_CANDIDATES[0];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const candidate of GUESS_CANDIDATES) {
    // A streaming write leaves a multi-byte character cut at the sample's end pending instead of replacing it.
    const text = legacyCodecs().getDecoder(candidate).write(asBuffer(sample));
    if (text.includes('\ufffd')) continue; // bytes this charset does not have
    const score = textScore(text);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function textScore(text: string): number {
  const chars = Array.from(text);
  let total = 0;
  let counted = 0;
  chars.forEach((char, index) => {
    if (char.charCodeAt(0) < 0x80) return;
    total += characterScore(char, chars[index - 1] ?? ' ', chars[index + 1] ?? ' ');
    counted += 1;
  });
  return counted === 0 ? 0 : total / counted;
}

const isAsciiLetter = (char: string): boolean => /^[A-Za-z]$/.test(char);
const isLatinLetter = (char: string): boolean => /^[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]$/.test(char);
const isThaiConsonant = (char: string): boolean => /^[\u0e01-\u0e2e]$/.test(char);
const isThaiMark = (char: string): boolean => /^[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]$/.test(char);

/**
 * How plausible one non-ASCII character is where it stands, from -1 to 1. Wrong decodings show as accented Latin
 * letters glued to each other instead of to ASCII letters, Cyrillic/Hebrew/Thai glued to ASCII letters, mostly
 * upper-case Cyrillic, Thai marks with no consonant, rare Han characters, and controls or odd symbols.
 */
function characterScore(char: string, before: string, after: string): number {
  const nextToAscii = isAsciiLetter(before) || isAsciiLetter(after);
  if (isLatinLetter(char)) {
    if (nextToAscii) return 1;
    return isLatinLetter(before) || isLatinLetter(after) ? -1 : 0;
  }
  if (/^[\u0400-\u04ff\u0590-\u05ff\u0e00-\u0e7f]$/.test(char) && nextToAscii) return -1;
  // Lower-case Cyrillic is most of any Russian text; ъ щ ф ц э ю ё are rare in it but frequent in mis-decoded Hebrew.
  if (/^[\u0430-\u044f]$/.test(char)) return 'ъщфцэюё'.includes(char) ? 0.3 : 1;
  if (/^[\u0400-\u042f\u0451]$/.test(char)) return 0.3;
  if (/^[\u05d0-\u05ea]$/.test(char)) return 1;
  if (/^[\u05b0-\u05c7\u05f0-\u05f4]$/.test(char)) return 0.5;
  if (isThaiMark(char)) return isThaiConsonant(before) || isThaiMark(before) ? 1 : -1;
  if (/^[\u0e40-\u0e44]$/.test(char)) return isThaiConsonant(after) ? 1 : -1; // leading vowels precede a consonant
  // Consonants are most of Thai but also what random bytes decode to, so they count for less than placed vowels.
  if (isThaiConsonant(char) || /^[\u0e30\u0e32\u0e33\u0e45\u0e46]$/.test(char)) return 0.5;
  if (/^[\u3040-\u30ff\uac00-\ud7a3]$/.test(char)) return 1; // kana, Hangul syllables
  if (/^[\u4e00-\u9fff]$/.test(char)) return COMMON_HAN.has(char) ? 1 : 0.5;
  if (/^[\u2010-\u2027\u3000-\u303f\uff01-\uff5e\u00a0\u00ab\u00bb]$/.test(char)) return 0.5; // common punctuation
  return -1;
}

/** Frequent Chinese characters in simplified and traditional forms (most are common in Japanese too). */
const COMMON_HAN = new Set(
  Array.from(
    '的一是不了在人有我他中大上和到地以要就出可也你生能而子那得下自之年作用道行所然家事成方多去法如都同定天分好小' +
      '部其些主心她本前把但因只想日者意力它十民公此已工使情明性知全三又正外高由很最重物手向文相被利什二等或新己制' +
      '身果加西斯月合特代內内信表老世位次度任常先海通教原提立及比名真走各入口平更打女四神何安少才反受目太量再感建做' +
      '接必件期市直德命山金指克保至形社便空治展科司五基非白却界光放即像且思王象完式色路南品住告求程北死交取拉格望' +
      '共今切候笑步改收根造言持每林服快往元英士近失夫令布始怎呢存未叫台具字百需花城石整府示病息究似官火精支消越器' +
      '容照九增研称企八功包片史委乎查易早曾除找吧阿李念六引首局突另周注考落青列武虽推希古房半土投某案黑革致律足七' +
      '派孩星章音跟志底站巴例防族供效施留型料答奇察母京段依批群故按河米江害客采攻父密低朝友止千值仍男破助倒育属坐' +
      '帝限船刻否威毛状率甚球般普怕校苦创假久承印晚试股拿若哪微尼送急血素适波夜省初喜源食待述置居福雷模充云停木' +
      '游树疑冷洲冲射略范竟句室异激村哈策演卡罪判担州静退既衣您宗余痛差富角占配征修皮降善免皇养伊执副抗犯追宣佛' +
      '航怪香著田控左右份背草概块敢守酒托央户烈洋哥索胡款靠版座景弟登互付伯慢危忙核暗姐介良序升亮露永呼味野架域沙' +
      '这个们来为国说时会对过发后里种经么学现当没动还进样实与长机无军两间问应战头体见产话回给门东声员义认条气题' +
      '尔别变总电数报结务场计资区队书则听达强难权设记类据边张该规万觉术领确传师观让识带导争运风联组济车亲极办议证' +
      '转准单爱击备调质团价党华级况请际约复线断满视须图历医专费号较语选红响势参众构节维敌陈态护兴验责营够严续讲终' +
      '這個們來為國說時會對過發後裡經麼學現當沒動還進樣實與長機無軍兩間問應戰頭體見產話回給門東聲員義認條氣題' +
      '爾別變總電數報結務場計資區隊書則聽達強難權設記類據邊張該規萬覺術領確傳師觀讓識帶導爭運風聯組濟車親極辦議證' +
      '轉準單愛擊備調質團價黨華級況請際約復線斷滿視須圖歷醫專費號較語選紅響勢參眾構節維敵陳態護興驗責營夠嚴續講終',
  ),
);
