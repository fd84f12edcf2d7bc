// Deterministic news-like text and watchlists of any size, so every machine benchmarks the same input.
import type { Entity, RawItem } from '../../lambda/core/types';
import { pick, seededRandom } from './report';

const WORDS = (
  'the a of to in and for on with by from at as that said after over new will was has have more about than ' +
  'officials state election security federal government report court case vote votes voting ballots county ' +
  'system systems agency director department secretary office statement week monday tuesday wednesday thursday ' +
  'friday told reporters according people public campaign president administration congress senate house ' +
  'committee hearing investigation claims fraud evidence results audit recount officials local national ' +
  'cyber attack hackers network infrastructure threat warning data breach ransomware software update million ' +
  'percent year years months early later during before under against while could would should may might ' +
  'announced confirmed denied rejected approved called asked expected planned reported issued released ' +
  'policy law bill lawsuit judge ruling appeal supreme legal rights count counted machines equipment ' +
  'voters polls turnout race candidate governor mayor city region country world international foreign ' +
  'company companies firm market markets price prices economy growth jobs workers union strike talks deal'
).split(' ');

/** Capitalized words that are not on any watchlist: the proper nouns of ordinary news. */
const PROPER = (
  'Washington Atlanta Georgia Arizona Michigan Pennsylvania Reuters Biden Trump Senate Pentagon Europe London ' +
  'Microsoft Google Twitter Facebook Fulton Maricopa Detroit Philadelphia Congress Democrats Republicans ' +
  'Wisconsin Nevada Ohio Texas Florida Brussels Moscow Beijing Kyiv'
).split(' ');

/** Text that exercises the folding paths: accents, curly quotes, dashes, a non-Latin script. */
const UNUSUAL = ['café', 'Zürich', '“record”', '‘unprecedented’', '—', 'São Paulo', 'naïve', 'Ελλάδα', 'résumé', '–'];

const FIRST_NAMES = (
  'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph ' +
  'Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra Donald Ashley Steven ' +
  'Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah'
).split(' ');
const SYLLABLES = (
  'ka ve lo mar ten sil dor an bel rin to ga han ber vis nor el qua sto fen ri da mon cal pe zu lem tor wi ' +
  'gar ost len fra mi sa'
).split(' ');
const ROLES = ['Senator', 'Governor', 'Secretary', 'Director', 'Judge', 'Minister', 'Mayor', 'Commissioner'];
const ORG_SUFFIXES = ['Institute', 'Foundation', 'Group', 'Agency', 'Council', 'Partners', 'Labs', 'Commission'];

/** A made-up word unique to `index` (three syllables, base SYLLABLES.length), capitalized: surnames, places. */
export function surname(index: number): string {
  const base = SYLLABLES.length;
  const parts = [index % base, Math.floor(index / base) % base, Math.floor(index / base / base) % base];
  const word = parts.map((part) => SYLLABLES[part]!).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * `count` synthetic people, each with three aliases ("Mary Kavelo", "Senator Kavelo", "Kavelo Institute"). Entity i
 * is the same whatever `count` is, so a smaller watchlist is a prefix of a larger one.
 */
export function syntheticEntities(count: number): Entity[] {
  const random = seededRandom(7);
  return Array.from({ length: count }, (_, index) => {
    const last = surname(index);
    const aliases = [
      `${pick(random, FIRST_NAMES)} ${last}`,
      `${pick(random, ROLES)} ${last}`,
      `${last} ${pick(random, ORG_SUFFIXES)}`,
    ];
    return { id: `person-${index}`, name: aliases[0]!, aliases, ambiguous: [], context: [], excludes: [] };
  });
}

/** Writes sentences of news-like words; `mention()` supplies a phrase to drop in (an alias, a look-alike) or none. */
export class NewsWriter {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(values: readonly T[]): T {
    return pick(this.random, values);
  }

  integer(below: number): number {
    return Math.floor(this.random() * below);
  }

  /** A sentence of `words` words, with a mention spliced in when given. */
  sentence(words: number, mention?: string): string {
    const out: string[] = [];
    for (let index = 0; index < words; index++) {
      const roll = this.random();
      if (roll < 0.08) out.push(this.pick(PROPER));
      else if (roll < 0.1) out.push(String(this.integer(2000)));
      else if (roll < 0.11) out.push(this.pick(UNUSUAL));
      else out.push(this.pick(WORDS));
      if (this.random() < 0.06) out[out.length - 1] += ',';
    }
    if (mention !== undefined) {
      // Possessives and hyphenated forms, as headlines write names.
      const form = this.random();
      const written =
        form < 0.15 ? `${mention}'s` : form < 0.25 ? `${mention}’s` : form < 0.3 ? `${mention}-led` : mention;
      out.splice(this.integer(out.length + 1), 0, written);
    }
    const text = out.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }

  paragraph(sentences: number, mention?: string): string {
    const at = mention === undefined ? -1 : this.integer(sentences);
    return Array.from({ length: sentences }, (_, index) =>
      this.sentence(8 + this.integer(14), index === at ? mention : undefined),
    ).join(' ');
  }
}

/**
 * `count` feed items as a feed carries them: a headline, an HTML summary and, for about half (many feeds ship only
 * summaries), several HTML paragraphs of content. `mentionFor(i)` names what item i mentions, if anything. Matching
 * benchmarks run these through normalizeItem first, so they measure the strings the pipeline really hands over.
 */
export function newsItems(count: number, seed: number, mentionFor: (index: number) => string | undefined): RawItem[] {
  const writer = new NewsWriter(seed);
  const html = (paragraphs: string[]) => paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  return Array.from({ length: count }, (_, index) => {
    const mention = mentionFor(index);
    const hasContent = writer.chance(0.5);
    const where = writer.integer(hasContent ? 3 : 2);
    const title = writer.sentence(7 + writer.integer(7), where === 0 ? mention : undefined).slice(0, -1);
    const summary = writer.paragraph(1 + writer.integer(3), where === 1 ? mention : undefined);
    const paragraphs = hasContent ? 2 + writer.integer(4) : 0;
    const mentionParagraph = where === 2 ? writer.integer(paragraphs) : -1;
    const content = Array.from({ length: paragraphs }, (_, paragraph) =>
      writer.paragraph(2 + writer.integer(4), paragraph === mentionParagraph ? mention : undefined),
    );
    return {
      guid: `urn:bench:${seed}:${index}`,
      title: escapeHtml(title),
      summary: html([summary]),
      ...(hasContent ? { content: html(content) } : {}),
    };
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What feed items of the poll benchmark mention: the default watchlist's people and agency, and look-alikes. */
const WATCHLIST_MENTIONS = [
  'Christopher Krebs',
  'Chris Krebs',
  'CISA',
  'Brad Raffensperger',
  'Gabriel Sterling',
  'Matthew Masterson',
  'Brian Krebs',
  'pound sterling',
];

export interface BenchFeedOptions {
  itemsPerFeed: number;
  /** Items are dated over the two days before this (ms since epoch), so half fall in a 24 h backfill window. */
  now: number;
  /** Share of items that mention someone from WATCHLIST_MENTIONS. */
  mentionRate: number;
}

/** RSS 2.0 document `index` of the poll benchmark: short items (a headline and a one- or two-sentence description). */
export function benchFeedXml(index: number, options: BenchFeedOptions): string {
  const writer = new NewsWriter(1_000 + index);
  const items: string[] = [];
  for (let item = 0; item < options.itemsPerFeed; item++) {
    const mention = writer.chance(options.mentionRate) ? writer.pick(WATCHLIST_MENTIONS) : undefined;
    const inTitle = writer.chance(0.5);
    const title = writer.sentence(7 + writer.integer(6), inTitle ? mention : undefined).slice(0, -1);
    const description = writer.paragraph(1 + writer.integer(2), inTitle ? undefined : mention);
    const published = new Date(options.now - ((item + 0.5) / options.itemsPerFeed) * 48 * 3_600_000);
    items.push(
      [
        '<item>',
        `<title>${escapeHtml(title)}</title>`,
        `<link>https://news.example.test/${index}/${item}.html?utm_source=rss</link>`,
        `<guid isPermaLink="false">bench-${index}-${item}</guid>`,
        `<pubDate>${published.toUTCString()}</pubDate>`,
        `<description>${escapeHtml(`<p>${escapeHtml(description)}</p>`)}</description>`,
        '</item>',
      ].join(''),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0"><channel>',
    `<title>Bench feed ${index}</title><link>https://news.example.test/${index}/</link>`,
    '<description>Generated for the poll benchmark</description>',
    ...items,
    '</channel></rss>',
  ].join('\n');
}
