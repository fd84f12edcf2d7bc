// Raw feed items -> plain text, canonical links, publisher and a parsed date: what matching and identity work on.
import { decodeHTML } from 'entities';
import type { NormalizedItem, RawItem } from './types';

export const MAX_TITLE_CHARS = 500;
export const MAX_SUMMARY_CHARS = 1_000;
export const MAX_CONTENT_CHARS = 20_000;
/** Length of a summary derived from the content when the feed gave none. */
export const DERIVED_SUMMARY_CHARS = 300;
/** HTML beyond this is not read: bounds the time spent on one hostile or broken item. */
const MAX_HTML_CHARS = 200_000;
/** Feeds escape their HTML once more than needed (`&amp;amp;`, `&lt;p&gt;`); a few rounds undo that. */
const MAX_DECODE_ROUNDS = 4;

/** Elements whose text is not prose. */
const HIDDEN_ELEMENTS = /<(script|style|noscript|template|iframe|object|svg|math)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;
/** Elements that separate words, so `<p>a</p><p>b</p>` reads `a b`. */
const BLOCK_ELEMENTS =
  'address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|img|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul';
/**
 * A tag, with quoted attribute values that may hold `>`. An unquoted `<` ends the attempt and quoted values are
 * bounded, so a run of unclosed `<a <a <a` costs linear time, not quadratic.
 */
const TAG = /<\/?([A-Za-z][\w:-]*)(?:[^<>"']|"[^"]{0,2000}"|'[^']{0,2000}')*>/g;
const BLOCK_TAG_NAME = new RegExp(`^(?:${BLOCK_ELEMENTS})$`, 'i');
const LEFTOVER_MARKUP = /<\/?[A-Za-z][\w:-]*(?:[\s/>]|$)|<!--|&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i;

/**
 * Plain text from an HTML fragment: script/style content dropped, tags removed (block tags become spaces), every
 * HTML entity decoded (repeated while a feed's extra escaping leaves markup or entities), windows-1252 "smart" bytes
 * and UTF-8 read as Latin-1 repaired, whitespace collapsed.
 */
export function htmlToText(html: string): string {
  if (html === '') return '';
  let text = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  // Without `<` or `&` there is no markup and no entity: most titles skip straight to the cleanup.
  for (let round = 0; round < MAX_DECODE_ROUNDS && /[<&]/.test(text); round += 1) {
    text = decodeHTML(stripTags(text));
    if (!LEFTOVER_MARKUP.test(text)) break;
  }
  // Both repairs look only at characters from U+0080 up: ASCII text skips them.
  return collapseWhitespace(NON_ASCII.test(text) ? demoronize(repairMojibake(text)) : text);
}

const NON_ASCII = /[^\u0000-\u007f]/;

function stripTags(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, '$1')
    .replace(HIDDEN_ELEMENTS, ' ')
    .replace(TAG, (_tag, name: string) => (BLOCK_TAG_NAME.test(name) ? ' ' : ''))
    .replace(/<\/?[A-Za-z][^<>]*(?:>|(?=<)|$)/g, ' '); // a tag with a broken quote, or cut off by a truncated description
}

/** Zero-width characters, soft hyphens, and controls that are not whitespace: dropped, in one pass. */
const INVISIBLE = /\u200b|\u200c|\u200d|\u2060|\ufeff|\u00ad|[\u0000-\u0008\u000e-\u001f\u007f]/g;
/** Anything collapseWhitespace would change: most titles and summaries have none, and are returned as they are. */
const UNTIDY_SPACE = new RegExp(`${INVISIBLE.source}|[^\\S ]|\\s\\s|^\\s|\\s$`);

function collapseWhitespace(text: string): string {
  if (!UNTIDY_SPACE.test(text)) return text;
  return text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Windows-1252 characters for the C1 range: feeds put cp1252 bytes where Unicode was meant (`don\u0092t`). */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
/**
 * A UTF-8 lead byte's character then one to three continuation bytes' characters, each read as Latin-1 or cp1252.
 * Built from a string, not written as a regex literal with these characters: esbuild escapes strings, not regex
 * literals, and one non-ASCII character makes Node.js 20 load the whole Lambda bundle as a two-byte string.
 */
const MOJIBAKE_SEQUENCE = new RegExp(`[\\u00c2-\\u00f4][\\u0080-\\u00bf${CP1252_C1}]{1,3}`, 'g');

function demoronize(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => CP1252_C1.charAt(char.charCodeAt(0) - 0x80));
}

/** The byte each character stands for when UTF-8 was decoded as windows-1252 or Latin-1, or -1. */
function misreadByte(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 0x80 && code <= 0xff) return code;
  const index = CP1252_C1.indexOf(char);
  return index >= 0 ? 0x80 + index : -1;
}

/**
 * Repairs UTF-8 that was decoded as windows-1252/Latin-1 (`â€™` -> `’`, `Ã©` -> `é`): a lead character in Â..ô
 * followed by the continuation characters it needs, which together are valid UTF-8. Ordinary text almost never
 * has those sequences.
 */
function repairMojibake(text: string): string {
  return text.replace(MOJIBAKE_SEQUENCE, (sequence) => {
    const bytes = Array.from(sequence, misreadByte);
    const lead = bytes[0] ?? 0;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (bytes.length < length) return sequence;
    try {
      const repaired = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes.slice(0, length)));
      return repaired + sequence.slice(length);
    } catch {
      return sequence;
    }
  });
}

/** Query parameters that only say where a click came from; the same article without them is the same article. */
const TRACKING_PARAMS = new Set([
  '_ga',
  '_gl',
  'at_campaign',
  'at_medium',
  'cmp',
  'cmpid',
  'dclid',
  'fbclid',
  'gclid',
  'gclsrc',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
  'igshid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  'msclkid',
  'ncid',
  'ns_campaign',
  'ns_linkname',
  'ns_mchannel',
  'ns_source',
  'ocid',
  'ref',
  'ref_src',
  'ref_url',
  'smid',
  'smtyp',
  'twclid',
  'xtor',
  'yclid',
]);

/**
 * The canonical form of an http(s) URL, resolved against `base`: lower-case scheme and host (URL does that), no
 * default port, no credentials, no fragment, no tracking parameters, the rest sorted. Undefined for anything else.
 */
export function canonicalUrl(url: string, base?: string): string | undefined {
  const parsed = httpUrl(url, base);
  return parsed && canonicalHref(parsed);
}

/** canonicalUrl of a parsed http(s) URL. */
function canonicalHref(parsed: URL): string {
  // Pairs are kept as written (`?item` stays `?item`, not `?item=`) and sorted by name, stably.
  const pairs = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(parameterName(pair)))
    .sort((a, b) => compareStrings(parameterName(a), parameterName(b)));
  // The href without credentials or fragment, joined as the URL serializer joins it: setting those parts on the URL
  // re-serialized it each time, a fifth of what normalizing an item cost.
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}

function parameterName(pair: string): string {
  const name = pair.split('=', 1)[0] ?? '';
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name; // a stray `%` is kept as written
  }
}

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An http(s) URL, resolved against `base`, or undefined. */
function httpUrl(url: string | undefined, base?: string): URL | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url.trim(), base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One raw item as plain text. Google News items (`<source>`) get the publisher from the source and lose the
 * " - Publisher" the title ends with. A missing summary (or one that merely repeats the content) becomes the start
 * of the content. Fields are capped so one huge item cannot exhaust memory.
 */
export function normalizeItem(raw: RawItem, feed: { name: string; url: string }): NormalizedItem {
  const sourceName = raw.source?.name ? htmlToText(raw.source.name) : undefined;
  const fullTitle = htmlToText(raw.title ?? '');
  const title = truncate(sourceName ? withoutPublisherSuffix(fullTitle, sourceName) : fullTitle, MAX_TITLE_CHARS);
  const content = truncate(htmlToText(raw.content ?? ''), MAX_CONTENT_CHARS);
  const summaryText = htmlToText(raw.summary ?? '');
  const summary =
    summaryText && summaryText !== content
      ? truncate(summaryText, MAX_SUMMARY_CHARS)
      : truncate(content, DERIVED_SUMMARY_CHARS);
  const guid = raw.guid?.trim() || undefined;
  // RSS GUIDs are permalinks unless marked otherwise, and some feeds give no <link> at all.
  const linkUrl =
    httpUrl(raw.link, feed.url) ?? (guid && /^https?:\/\//i.test(guid) ? httpUrl(guid, feed.url) : undefined);
  // Fields without a value are left out, not set to undefined (items cross threads and are compared whole).
  const item: NormalizedItem = { title, summary, content, publisher: sourceName || feed.name };
  if (guid !== undefined) item.guid = guid;
  if (linkUrl !== undefined) {
    item.link = linkUrl.href;
    item.canonicalLink = canonicalHref(linkUrl);
  }
  const publishedAt = parseFeedDate(raw.published);
  if (publishedAt !== undefined) item.publishedAt = publishedAt;
  return item;
}

/** "Trump fires CISA director Chris Krebs - BBC News" with source "BBC News" -> the title alone. */
export function withoutPublisherSuffix(title: string, publisher: string): string {
  for (const separator of [' - ', ' – ', ' — ', ' | ']) {
    const suffix = `${separator}${publisher}`;
    if (title.length > suffix.length && title.toLowerCase().endsWith(suffix.toLowerCase())) {
      return title.slice(0, -suffix.length).trim();
    }
  }
  return title;
}

/** Cuts at a word boundary and marks the cut with an ellipsis. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxChars * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 822 zone names (and a few common ones feeds use) -> minutes east of UTC. */
const ZONE_OFFSETS: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  bst: 60,
  cet: 60,
  cest: 120,
  eet: 120,
  eest: 180,
  // Without daylight saving told, US zones as news sites write them ("7:45 PM ET") read as standard time.
  et: -300,
  ct: -360,
  mt: -420,
  pt: -480,
  jst: 540,
  aest: 600,
  aedt: 660,
};

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** A time of day as feeds write it: "19:45", "19:45:00.000", "7:45 PM"; then a zone name or offset, if any. */
const TIME_AND_ZONE = String.raw`(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?\s*([A-Za-z]+|[+-]\d{2}:?\d{2})?`;
/** RFC 822 and its kin, day first: "Tue, 17 Nov 2020 19:45:00 GMT", "Tuesday, 17-Nov-20 19:45:00 GMT". */
const RFC_822 = new RegExp(
  String.raw`^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,})\.?,?[\s-]+(\d{2,4})${TIME_AND_ZONE}$`,
);
/** Month first: "November 17, 2020 7:45 PM EST", "Tue Nov 17 2020 19:45:00 GMT+0000". */
const MONTH_FIRST = new RegExp(
  String.raw`^(?:[A-Za-z]+\.?,?\s+)?([A-Za-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME_AND_ZONE}$`,
);

/**
 * Milliseconds since the epoch from an RFC 822 (RSS) or ISO 8601 (Atom) date, or undefined. A date with no zone is
 * taken as UTC, so the result never depends on the machine's time zone; an unknown zone name counts as UTC too.
 */
export function parseFeedDate(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const iso = ISO_8601.exec(text);
  if (iso) {
    const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = iso;
    const millis = Number(`0.${fraction}`) * 1000;
    return utc(+year!, +month! - 1, +day!, +hour, +minute, +second, Math.round(millis), zoneOffset(zone));
  }
  // A trailing comment ("(UTC)") says nothing a zone does not; "GMT+0000" is the offset.
  const plain = text.replace(/\s*\([^)]*\)$/, '').replace(/\b(?:GMT|UTC)(?=[+-]\d)/i, '');
  const rfc = RFC_822.exec(plain);
  if (rfc) {
    const [, day = '', monthName = '', year = '', ...time] = rfc;
    return dayOf(year, monthName, day, time);
  }
  const monthFirst = MONTH_FIRST.exec(plain);
  if (monthFirst) {
    const [, monthName = '', day = '', year = '', ...time] = monthFirst;
    return dayOf(year, monthName, day, time);
  }
  return undefined;
}

/** The instant of a date written with a month name, and the time and zone captured after it (midnight if none). */
function dayOf(yearText: string, monthName: string, day: string, time: (string | undefined)[]): number | undefined {
  const [hourText = '0', minute = '0', second = '0', meridiem, zone] = time;
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase());
  if (month < 0) return undefined;
  const twoDigit = Number(yearText);
  const year = yearText.length === 2 ? twoDigit + (twoDigit < 50 ? 2000 : 1900) : twoDigit;
  let hour = Number(hourText);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  }
  return utc(year, month, Number(day), hour, Number(minute), Number(second), 0, zoneOffset(zone));
}

function zoneOffset(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) return (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
  return ZONE_OFFSETS[zone.toLowerCase()] ?? 0;
}

function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number,
): number | undefined {
  const time = Date.UTC(year, month, day, hour, minute, second, millis);
  const date = new Date(time);
  // Date.UTC rolls 31 Feb into March; a date that does not exist is not a date.
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  return time - offsetMinutes * 60_000;
}
