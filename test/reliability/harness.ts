// Reliability harness: the shipped watchlist, deterministic feed documents, a capturing sink and a settable clock,
// shared by the fault, attack and load tests that drive the real pipeline.
import { HttpFeedSource, type HttpFeedSourceOptions } from '../../lambda/adapters/http-feed-source';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import type { Alert, Watchlist } from '../../lambda/core/types';
import type { PollOptions } from '../../lambda/pipeline';
import type { AlertSink, Clock, PublishResult } from '../../lambda/ports';

/** The moment every test cycle starts from; items are dated shortly before it so the first poll alerts them. */
export const T0 = Date.UTC(2024, 10, 5, 12, 0, 0);
export const MINUTE = 60_000;

/** The watchlist the package ships: the tests match with the entities a user gets. */
export const WATCHLIST: Watchlist = loadWatchlist();

export function pollOptions(overrides: Partial<PollOptions> = {}): PollOptions {
  return {
    matcher: compileMatcher(WATCHLIST.entities),
    entities: WATCHLIST.entities,
    backfillHours: WATCHLIST.settings.backfillHours,
    ...overrides,
  };
}

/**
 * Limits small enough that a fault costs seconds, not the production 30 s, yet generous for a loaded 2-core machine:
 * a healthy loopback fetch takes milliseconds.
 */
export const TEST_LIMITS = {
  timeoutMs: 6_000,
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 4_000,
  maxBytes: 1024 * 1024,
} as const satisfies HttpFeedSourceOptions;

export function testFeedSource(options: HttpFeedSourceOptions = {}): HttpFeedSource {
  return new HttpFeedSource({ ...TEST_LIMITS, ...options });
}

export interface FeedEntry {
  guid: string;
  /** Raw text: escaped for XML by rssDocument (pass `rawTitle` to place markup as is). */
  title: string;
  link: string;
  description?: string;
  publishedAt?: number;
  /** Inserted into <title> verbatim (CDATA, entities, hostile markup). */
  rawTitle?: string;
}

export function xmlEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function rssDocument(entries: FeedEntry[], channelTitle = 'Test feed'): string {
  const items = entries.map((entry) =>
    [
      '<item>',
      `<title>${entry.rawTitle ?? xmlEscape(entry.title)}</title>`,
      `<link>${xmlEscape(entry.link)}</link>`,
      `<guid isPermaLink="false">${xmlEscape(entry.guid)}</guid>`,
      entry.description === undefined ? '' : `<description>${xmlEscape(entry.description)}</description>`,
      entry.publishedAt === undefined ? '' : `<pubDate>${new Date(entry.publishedAt).toUTCString()}</pubDate>`,
      '</item>',
    ].join(''),
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${xmlEscape(channelTitle)}</title><link>https://news.example.com/</link>${items.join('')}</channel></rss>`;
}

/** Full names the shipped watchlist lists as aliases: an item naming one matches that entity on its own. */
const TRACKED_NAMES = ['Christopher Krebs', 'Brad Raffensperger', 'Gabriel Sterling', 'Matthew Masterson'] as const;

/**
 * Item `index` of feed `feed` (letters and digits only): a tracked name in the title when `matching`, untracked news
 * otherwise, dated `index + 1` minutes before `now`. Besides the name and stop words, every word of the title and
 * description is a token made of the feed, the index and a letter, so no two items share a term: each is its own
 * story (story clustering would rightly fold near-identical items into one alert) and its own identity.
 */
export function newsEntry(feed: string, index: number, matching: boolean, now = T0): FeedEntry {
  // Letters that no suffix rule of the story stemmer strips (no e, s, d), and never a doubled final letter.
  const token = (word: number) => `${feed}x${index}q${'abcfghjkmn'[word]}`;
  const tokens = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => token(from + k)).join(' ');
  const subject = matching ? TRACKED_NAMES[index % TRACKED_NAMES.length] : 'The council';
  return {
    guid: `urn:test:${feed}:${index}`,
    title: `${subject} and the ${tokens(0, 6)}`,
    link: `https://news.example.com/${feed}/${index}`,
    description: tokens(6, 10),
    publishedAt: now - (index + 1) * MINUTE,
  };
}

/** A feed of `count` items, every `matchEvery`-th one matching (index 0 included), and the links that should alert. */
export function newsFeed(
  feed: string,
  count: number,
  matchEvery: number,
  now = T0,
): { body: string; alertLinks: string[] } {
  const entries = Array.from({ length: count }, (_, index) => newsEntry(feed, index, index % matchEvery === 0, now));
  return {
    body: rssDocument(entries, `Feed ${feed}`),
    alertLinks: entries.filter((_, index) => index % matchEvery === 0).map((entry) => entry.link),
  };
}

export const RSS_HEADERS = { 'content-type': 'application/rss+xml; charset=utf-8' } as const;

/** Records every alert it accepts; refuses alerts whose link is listed in `refuse` (they are retried next poll). */
export class CapturingSink implements AlertSink {
  readonly published: Alert[] = [];
  readonly refuse = new Set<string>();

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    return alerts.map((alert) => {
      if (alert.link !== undefined && this.refuse.has(alert.link)) {
        return { alertId: alert.id, ok: false, error: 'refused by the test' };
      }
      this.published.push(alert);
      return { alertId: alert.id, ok: true };
    });
  }

  links(): string[] {
    return this.published.map((alert) => alert.link ?? '(no link)');
  }
}

/** How often each value occurs. */
export function countOf(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Values that occur more than once. */
export function repeated(values: Iterable<string>): string[] {
  return [...countOf(values)].filter(([, count]) => count > 1).map(([value]) => value);
}

export class ManualClock implements Clock {
  constructor(public time = T0) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** What the crash child prints between publish and mark, followed by the published links as JSON. */
export const PUBLISHED = 'published ';
