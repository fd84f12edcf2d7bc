// How rare each story term is in the news the poller reads: a bounded document-frequency table that weighs event words.
import { fnv1a32 } from './minhash';
import { NEWS_TERM_PRIOR } from './news-term-prior';

/** A document-frequency table: how many documents were read, and in how many of them each term occurred. */
export interface TermCounts {
  docs: number;
  df: Record<string, number>;
}

/** A process counts every document it reads up to this many; past them, a sample bounds the CPU a big poll spends. */
export const RARITY_FULL_DOCS = 10_000;
/** ...one document in this many (by a hash of its key, so the same document always is or is not). */
export const RARITY_SAMPLE = 4;
/** Documents remembered as counted, so a feed's items served again are not counted again. */
const RECENT_DOCS = 100_000;

/** Terms kept in a table: the most frequent ones; a term missing from it counts as rare, which it is. */
export const MAX_RARITY_TERMS = 4_000;
/** Past this many documents the counts are halved, so the table follows what the news is about now. */
export const RARITY_HALF_LIFE_DOCS = 50_000;
/**
 * Documents of no shared term assumed before any are read: with few documents read (the first poll, a `match` run),
 * one event's own coverage would make its words look common. Until the poller has read about this much news, a term
 * must occur in many documents to count as common.
 */
export const RARITY_PRIOR_DOCS = 1_000;
/** The prior's events are all about tracked people; in the news a poller reads, such items are about this share. */
export const TRACKED_NEWS_SHARE = 0.03;
/** A term in at least this share of documents says nothing about which event an item reports: weight 0. */
export const COMMON_SHARE = 0.05;
/** A term in at most this share is rare: weight 1. Between the two, the weight falls with the log of the share. */
export const RARE_SHARE = 0.005;

/** Counts of documents and terms, with the bounded, decaying rules above. Pure: the caller loads and saves it. */
export class TermRarity {
  private docs: number;
  private readonly df: Map<string, number>;
  /** What was read since the table was loaded, for a store that adds it to the stored table. */
  private added: TermCounts = { docs: 0, df: {} };
  /** Hashes of the documents counted lately, and the same in the order they came. */
  private readonly recent = new Set<number>();
  /** Documents this instance counted through observeOnce. */
  private counted = 0;
  /** Distinct terms in `added.df`. */
  private addedTerms = 0;
  private readonly ring: number[] = [];
  private ringNext = 0;

  constructor(counts?: TermCounts) {
    this.docs = counts?.docs ?? 0;
    this.df = new Map(Object.entries(counts?.df ?? {}));
  }

  /**
   * Counts the document `key` names (its link or title) unless it was counted lately, or (past RARITY_FULL_DOCS)
   * falls outside the sample: a feed serves the same items poll after poll, and a table of shares needs a fair sample,
   * not every item of a thousand feeds. `terms` is called only for a document that counts.
   */
  observeOnce(key: string, terms: () => Iterable<string>): void {
    const hash = fnv1a32(key);
    if ((this.counted >= RARITY_FULL_DOCS && !inSample(hash)) || this.recent.has(hash)) return;
    this.counted += 1;
    // A ring of the latest hashes: the oldest leaves the set as a new one comes in.
    const oldest = this.ring[this.ringNext];
    if (oldest !== undefined) this.recent.delete(oldest);
    this.ring[this.ringNext] = hash;
    this.ringNext = (this.ringNext + 1) % RECENT_DOCS;
    this.recent.add(hash);
    this.observe(terms());
  }

  /** Counts one document (an item's story terms; each term once). */
  observe(terms: Iterable<string>): void {
    this.docs += 1;
    this.added.docs += 1;
    for (const term of new Set(terms)) {
      this.df.set(term, (this.df.get(term) ?? 0) + 1);
      const before = this.added.df[term];
      if (before === undefined) this.addedTerms += 1;
      this.added.df[term] = (before ?? 0) + 1;
    }
    if (this.df.size > 2 * MAX_RARITY_TERMS) this.prune();
    if (this.addedTerms > 4 * MAX_RARITY_TERMS) {
      this.added.df = topTerms(this.added.df);
      this.addedTerms = MAX_RARITY_TERMS;
    }
    while (this.docs > RARITY_HALF_LIFE_DOCS) this.halve();
  }

  /** Counts another table's documents in (a store merging what a poll read into what it holds). */
  add(counts: TermCounts): void {
    this.docs += counts.docs;
    for (const [term, count] of Object.entries(counts.df)) this.df.set(term, (this.df.get(term) ?? 0) + count);
    while (this.docs > RARITY_HALF_LIFE_DOCS) this.halve();
    this.prune();
  }

  /**
   * Share of documents holding `term`, counting RARITY_PRIOR_DOCS documents in which it is as common as across the
   * shipped prior's events (news-term-prior.ts): until the poller has read enough news, the prior says which words
   * every story about the tracked people carries.
   */
  share(term: string): number {
    const prior = (TRACKED_NEWS_SHARE * (NEWS_TERM_PRIOR.counts[term] ?? 0)) / NEWS_TERM_PRIOR.events;
    return ((this.df.get(term) ?? 0) + RARITY_PRIOR_DOCS * prior) / (this.docs + RARITY_PRIOR_DOCS);
  }

  /** 0 (common: says nothing about the event) .. 1 (rare: names it). */
  weight(term: string): number {
    const share = this.share(term);
    if (share <= RARE_SHARE) return 1;
    if (share >= COMMON_SHARE) return 0;
    return Math.log(COMMON_SHARE / share) / Math.log(COMMON_SHARE / RARE_SHARE);
  }

  /** The table as stored: at most MAX_RARITY_TERMS terms. */
  counts(): TermCounts {
    this.prune();
    return { docs: this.docs, df: Object.fromEntries(this.df) };
  }

  /** Documents read since the last takeAdded(). */
  get pendingDocs(): number {
    return this.added.docs;
  }

  /** What was read since the table was loaded (or since the last call), and forget it. */
  takeAdded(): TermCounts {
    const added = this.added;
    this.added = { docs: 0, df: {} };
    this.addedTerms = 0;
    return added;
  }

  private prune(): void {
    if (this.df.size <= MAX_RARITY_TERMS) return;
    const kept = [...this.df].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_RARITY_TERMS);
    this.df.clear();
    for (const [term, count] of kept) this.df.set(term, count);
  }

  private halve(): void {
    this.docs = Math.floor(this.docs / 2);
    for (const [term, count] of this.df) {
      const halved = Math.floor(count / 2);
      if (halved === 0) this.df.delete(term);
      else this.df.set(term, halved);
    }
  }
}

function inSample(hash: number): boolean {
  return hash % RARITY_SAMPLE === 0;
}

/** The MAX_RARITY_TERMS most frequent terms of `df`. */
function topTerms(df: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(df)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_RARITY_TERMS),
  );
}

/** `stored` with `added` counted in, bounded and decayed as the table is (a store merging a poll's reading). */
export function mergeTermCounts(stored: TermCounts | undefined, added: TermCounts): TermCounts {
  const rarity = new TermRarity(stored);
  rarity.add(added);
  return rarity.counts();
}
