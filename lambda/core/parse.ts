// Feed bytes -> raw items through rss-parser; every failure is one FeedError('parse') with a message a user can act on.
import Parser from 'rss-parser';
import { decodeFeedBytes } from './charset';
import { FeedError } from './feed-error';
import { parseFeedDate } from './normalize';
import type { RawItem } from './types';
import { withoutUndefined } from './without-undefined';

export interface ParsedFeed {
  title?: string;
  link?: string;
  items: RawItem[];
}

/** A feed longer than this is cut: real feeds carry tens of items, and each item costs a state lookup. */
export const MAX_ITEMS_PER_FEED = 500;
/**
 * Documents beyond these are refused before any parser sees them: the parsers hold every element as an object (about
 * half a kilobyte each) and recurse per level, so a document of deeply nested tags costs many times its size. Real feeds
 * nest under 10 deep and the largest in the corpus, a 1.6 MB podcast feed, has under 9,000 elements.
 */
export const MAX_ELEMENT_DEPTH = 1_000;
export const MAX_ELEMENTS = 100_000;

/** The shape rss-parser hands back for one item, with the custom `<source>` field (Google News). */
interface ParserItem {
  guid?: unknown;
  id?: unknown;
  title?: unknown;
  link?: unknown;
  content?: unknown;
  'content:encoded'?: unknown;
  summary?: unknown;
  isoDate?: unknown;
  pubDate?: unknown;
  date?: unknown;
  sourceElement?: unknown;
}

type FeedKind = 'atom' | 'rss';

/**
 * Parses RSS 0.9x/1.0/2.0 or Atom. Rejects only with FeedError('parse'): empty body, an HTML page, something that is
 * not a feed, or XML that neither the strict nor the forgiving parser can read. The DOCTYPE is removed first, so
 * entity declarations (billion laughs, external entities such as SYSTEM "file:///etc/passwd") are never seen by the
 * XML parser: their references stay literal text.
 */
export async function parseFeed(bytes: Uint8Array, contentType?: string): Promise<ParsedFeed> {
  if (bytes.length === 0) throw new FeedError('parse', 'empty response body: not a feed');
  const text = stripDoctype(decodeFeedBytes(bytes, contentType));
  const root = rootElementName(text);
  if (root === undefined) throw new FeedError('parse', 'no XML element in the response: not a feed');
  if (root === 'html') throw new FeedError('parse', 'got an HTML page, not an RSS or Atom feed');
  if (!['rss', 'feed', 'rdf:rdf'].includes(root)) {
    throw new FeedError('parse', `not an RSS or Atom feed (root element <${root}>)`);
  }
  const kind: FeedKind = root === 'feed' ? 'atom' : 'rss';
  // A document with fewer `<` than the depth limit can pass neither limit: most feeds need no scan.
  if (hasMoreThan(text, '<', MAX_ELEMENT_DEPTH)) {
    const { maxDepth, elements } = scanElements(text, { maxDepth: MAX_ELEMENT_DEPTH, elements: MAX_ELEMENTS });
    if (maxDepth > MAX_ELEMENT_DEPTH) {
      throw new FeedError('parse', `elements nested over ${MAX_ELEMENT_DEPTH} deep: not a feed`);
    }
    if (elements > MAX_ELEMENTS) throw new FeedError('parse', `over ${MAX_ELEMENTS} elements: not a feed`);
  }

  const output = await parseDocument(text);
  return {
    title: textOf(output.title),
    link: textOf(output.link),
    items: newestItems((output.items ?? []).map((item) => toRawItem(item, kind))),
  };
}

/** At most MAX_ITEMS_PER_FEED items, the newest: the first ones, or the last of a feed listed oldest first. */
function newestItems(items: RawItem[]): RawItem[] {
  if (items.length <= MAX_ITEMS_PER_FEED) return items;
  const first = parseFeedDate(items[0]?.published);
  const last = parseFeedDate(items.at(-1)?.published);
  const oldestFirst = first !== undefined && last !== undefined && last > first;
  return oldestFirst ? items.slice(-MAX_ITEMS_PER_FEED) : items.slice(0, MAX_ITEMS_PER_FEED);
}

/**
 * Strict first; then forgiving, as real feeds often carry a stray `&` or an unclosed HTML tag; then forgiving on the
 * document with its cut-off end closed, as a feed truncated in transit still has its complete items.
 */
async function parseDocument(text: string): Promise<Parser.Output<ParserItem>> {
  // The repair scans the whole document, so it runs only once both parsers have failed.
  const repaired = () => {
    const closed = closeTruncatedDocument(text);
    return closed === undefined ? undefined : parseXml(closed, false);
  };
  const attempts = [() => parseXml(text, true), () => parseXml(text, false), repaired];
  let firstError: unknown;
  for (const attempt of attempts) {
    try {
      const output = await attempt();
      if (output !== undefined) return output;
    } catch (error) {
      if (isChannelMissing(error, text)) return { items: [] };
      firstError ??= error;
    }
  }
  throw new FeedError('parse', `invalid XML: ${describeXmlError(firstError)}`);
}

/** Whether `text` holds `char` more than `count` times (it stops counting there). */
function hasMoreThan(text: string, char: string, count: number): boolean {
  let seen = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) {
    if (++seen > count) return true;
  }
  return false;
}

/** Elements whose partial copy at a cut-off end is dropped rather than passed on with half a title. */
const ITEM_ELEMENTS = new Set(['item', 'entry']);
/** Constructs skipped whole while scanning, by how they open and close. */
const SKIPPED = [
  { open: '<!--', close: '-->' },
  { open: '<![CDATA[', close: ']]>' },
  { open: '<?', close: '?>' },
  { open: '<!', close: '>' },
];

/** What one scan of a document's tags found. */
interface ElementScan {
  /** Elements still open where the scan stopped, outermost first. */
  open: { name: string; start: number }[];
  /** Start of the unterminated tag, comment or CDATA section the scan stopped at; -1 when it read to the end. */
  stoppedAt: number;
  /** Elements opened, and the deepest nesting reached. */
  elements: number;
  maxDepth: number;
}

const TAG_START = /<(\/?)([A-Za-z_][\w.:-]*)/y;

/**
 * Reads the tags of a document as the forgiving parser would nest them: a close tag closes its innermost open
 * element of that name and everything opened inside it, a close tag that matches nothing is ignored. One linear scan
 * (each step moves forward; every element is pushed and popped once), so hostile input cannot make it slow; with
 * `limits`, it stops as soon as one is passed.
 */
function scanElements(text: string, limits?: { maxDepth: number; elements: number }): ElementScan {
  const open: { name: string; start: number }[] = [];
  const openByName = new Map<string, number>();
  let elements = 0;
  let maxDepth = 0;
  let position = text.indexOf('<');
  while (position >= 0) {
    // Every construct skipped whole starts `<!` or `<?`: an ordinary tag need not be tried against them.
    const second = text.charCodeAt(position + 1);
    const skipped =
      second === 0x21 || second === 0x3f
        ? SKIPPED.find((construct) => text.startsWith(construct.open, position))
        : undefined;
    const close = skipped ? text.indexOf(skipped.close, position + skipped.open.length) : text.indexOf('>', position);
    if (close < 0) break;
    TAG_START.lastIndex = position;
    const tag = skipped ? undefined : TAG_START.exec(text);
    const name = tag?.[2];
    if (name && tag[1]) {
      for (let closes = openByName.get(name) ?? 0; closes > 0; ) {
        const element = open.pop()!;
        openByName.set(element.name, (openByName.get(element.name) ?? 1) - 1);
        if (element.name === name) closes = 0;
      }
    } else if (name && text[close - 1] !== '/') {
      open.push({ name, start: position });
      openByName.set(name, (openByName.get(name) ?? 0) + 1);
      elements += 1;
      maxDepth = Math.max(maxDepth, open.length);
      if (limits && (maxDepth > limits.maxDepth || elements > limits.elements)) break;
    }
    position = text.indexOf('<', close + (skipped ? skipped.close.length : 1));
  }
  return { open, stoppedAt: position, elements, maxDepth };
}

/**
 * The document with a cut-off end repaired, or undefined when nothing is left open: a partial tag, comment or
 * CDATA section at the end is removed, an item or entry that was cut off is dropped whole, and the elements still
 * open are closed.
 */
export function closeTruncatedDocument(text: string): string | undefined {
  const { open, stoppedAt } = scanElements(text);
  if (open.length === 0) return undefined;
  const cutItem = open.findIndex((element) => ITEM_ELEMENTS.has(element.name.toLowerCase()));
  const kept = cutItem >= 0 ? open.slice(0, cutItem) : open;
  const body = text.slice(0, cutItem >= 0 ? open[cutItem]?.start : stoppedAt >= 0 ? stoppedAt : text.length);
  return (
    body +
    kept
      .map((element) => `</${element.name}>`)
      .reverse()
      .join('')
  );
}

/**
 * rss-parser trips (a TypeError, sometimes wrapped by xml2js's event emitter) over a well-formed `<rss>` that has no
 * `<channel>`: that is a feed with nothing in it, not a broken one.
 */
function isChannelMissing(error: unknown, text: string): boolean {
  return !/<channel[\s>/]/i.test(text) && /TypeError/.test(`${(error as Error | undefined)?.name} ${String(error)}`);
}

/** Tag names rss-parser looks up with capitals; the forgiving parser sees every name upper-cased. */
const MIXED_CASE_TAGS: Record<string, string> = {
  pubdate: 'pubDate',
  lastbuilddate: 'lastBuildDate',
  'rdf:rdf': 'rdf:RDF',
};

function parseXml(text: string, strict: boolean): Promise<Parser.Output<ParserItem>> {
  const parser = new Parser<Record<string, unknown>, ParserItem>({
    // A root <rss> without a version attribute is RSS 2 in practice.
    defaultRSS: 2,
    customFields: { item: [['source', 'sourceElement', { keepArray: true }]] },
    xml2js: {
      strict,
      // rss-parser turns Atom dates into ISO strings and throws on one it cannot read, losing the whole feed.
      valueProcessors: [(value: string, name: string) => (isAtomDate(name) && !isDate(value) ? '' : value)],
      ...(strict
        ? {}
        : {
            tagNameProcessors: [(name: string) => MIXED_CASE_TAGS[name.toLowerCase()] ?? name.toLowerCase()],
            attrNameProcessors: [(name: string) => name.toLowerCase()],
          }),
    },
  });
  return parser.parseString(text);
}

const isAtomDate = (name: string): boolean =>
  (name.length === 9 || name.length === 7) && /^(published|updated)$/i.test(name);
const isDate = (value: string): boolean => !Number.isNaN(new Date(value).getTime());

function toRawItem(item: ParserItem, kind: FeedKind): RawItem {
  // rss-parser puts an RSS <description> in `content` and an Atom <content> there too; Atom's summary is `summary`.
  const summary = kind === 'rss' ? (textOf(item.content) ?? textOf(item.summary)) : textOf(item.summary);
  const content = kind === 'rss' ? textOf(item['content:encoded']) : textOf(item.content);
  return withoutUndefined<RawItem>({
    guid: textOf(item.guid) ?? textOf(item.id),
    title: textOf(item.title),
    link: textOf(item.link),
    summary,
    content,
    // The date as written first: rss-parser's isoDate reads a date without a zone in the machine's time zone.
    published: textOf(item.pubDate) ?? textOf(item.date) ?? textOf(item.isoDate),
    source: sourceOf(item.sourceElement),
  });
}

/** Google News: `<source url="https://www.bbc.co.uk">BBC News</source>` as xml2js hands it over. */
function sourceOf(element: unknown): RawItem['source'] {
  const first: unknown = Array.isArray(element) ? element[0] : undefined;
  if (first === undefined) return undefined;
  if (typeof first === 'string') return textOf(first) ? { name: textOf(first) } : undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const record = first as { _?: unknown; $?: { url?: unknown } };
  const source = { name: textOf(record._), url: textOf(record.$?.url) };
  return source.name || source.url ? source : undefined;
}

/** A non-empty trimmed string, or the text of an element that also had attributes; else undefined. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'object' && value !== null && '_' in value) return textOf((value as { _: unknown })._);
  return undefined;
}

/**
 * Removes the DOCTYPE (with any internal subset) and other declarations from the prolog: feeds never need them and
 * entity declarations are an attack. sax, under xml2js, never expands declared entities anyway; this keeps them from reaching it at all.
 */
export function stripDoctype(text: string): string {
  let result = text;
  let position = 0;
  for (;;) {
    const construct = nextPrologConstruct(result, position);
    if (!construct) return result;
    // Any markup declaration: a DOCTYPE, or an entity declaration left over from a subset with a `]` in a value.
    if (result.startsWith('<!', construct.start) && !result.startsWith('<!--', construct.start)) {
      result = result.slice(0, construct.start) + result.slice(construct.end);
      position = construct.start;
    } else {
      position = construct.end;
    }
  }
}

/** The lower-cased name of the first element, skipping the XML declaration, processing instructions and comments. */
export function rootElementName(text: string): string | undefined {
  let position = 0;
  for (;;) {
    const construct = nextPrologConstruct(text, position);
    if (!construct) {
      const open = text.indexOf('<', position);
      return open < 0 ? undefined : /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(open, open + 256))?.[1]?.toLowerCase();
    }
    position = construct.end;
  }
}

/**
 * The next comment, processing instruction or declaration before the root element, as [start, end), or undefined
 * at the root element or an unterminated construct. A DOCTYPE's internal subset runs to `]` before its `>`.
 * Every call moves forward with indexOf, so the prolog costs linear time whatever it holds.
 */
function nextPrologConstruct(text: string, from: number): { start: number; end: number } | undefined {
  const start = text.indexOf('<', from);
  if (start < 0) return undefined;
  const terminator = (offset: number, close: string): { start: number; end: number } | undefined => {
    const end = text.indexOf(close, offset);
    return end < 0 ? undefined : { start, end: end + close.length };
  };
  if (text.startsWith('<!--', start)) return terminator(start + 4, '-->');
  if (text.startsWith('<?', start)) return terminator(start + 2, '?>');
  if (!text.startsWith('<!', start)) return undefined;
  const close = text.indexOf('>', start);
  const subset = text.indexOf('[', start);
  if (subset >= 0 && (close < 0 || subset < close)) {
    const subsetEnd = text.indexOf(']', subset);
    return subsetEnd < 0 ? undefined : terminator(subsetEnd, '>');
  }
  return close < 0 ? undefined : { start, end: close + 1 };
}

function describeXmlError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [reason = message, ...details] = message.split('\n');
  const line = details
    .find((detail) => detail.startsWith('Line:'))
    ?.replace('Line:', '')
    .trim();
  return line ? `${reason.trim()} (line ${Number(line) + 1})` : reason.trim();
}
