// Labelled headline sets (test/fixtures/headlines) and precision/recall of a matcher over them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabelledHeadline {
  id: string;
  title: string;
  summary?: string;
  link?: string;
  publisher?: string;
  /** The tracked entities the headline is about, as judged by hand. */
  expected: string[];
}

/**
 * The sets, each with a tuning half (read while building the matcher and the seed profile) and a held-out half
 * (measured, never tuned on). `bare`: title-only headlines naming a person or agency by surname or acronym alone,
 * half of them look-alikes; `named`: headlines with summaries, mostly full names. The named tuning half is two files:
 * lookalikes.jsonl, which the watchlist's rules alone get exactly (test/core/lookalikes.test.ts), and rows whose bare
 * surnames only a topic profile can decide. bare-tune-2.jsonl was written without reading the matcher and read once as
 * a blind half before it joined the tuning half (docs/matching.md has that reading); so was bare-tune-4.jsonl.
 * bare-tune-5.jsonl was read the same way and is in no half: a seed built with it lost more (docs/matching.md).
 * bare-blind2.jsonl was the next blind half: its wrong matches were printed before the occupation
 * rule was written, so it is held out now, not blind; bare-blind3/4/5/6/7.jsonl, read as figures only,
 * are held out since a fresh blind half came. `blind`: the blind half now, never tuned on (its headlines are never printed).
 * `offbeat`: headlines about the tracked people in words of other walks of life ("Raffensperger throws first pitch at
 * Braves game", "Krebs says hospital ransomware puts patients at risk"), written by a reviewer to break the matcher:
 * every row names its entity, so it measures lost alerts only. Alternate rows teach the seed; the others are held out,
 * and a rule that loses them does not ship.
 * `later`: title-only headlines naming the tracked people by surname or acronym alone in their news after 2020 and off
 * the election beat (new jobs, the 2025 memorandum, AI, DOGE, family), half of them look-alikes of the same years,
 * written without reading the matcher: one file to tune on, one blind.
 * `probe`: a reviewer's title-only headlines of 2024-2026 naming the tracked people by surname or acronym alone, written
 * after reading the matcher to break it (the surname as a modifier: "Krebs Senate testimony", "Trump CISA pick"), two
 * thirds about them, the rest look-alikes: read whole, so a tuning set.
 */
export const HEADLINE_SETS: Record<
  'bare' | 'named' | 'offbeat' | 'later' | 'probe',
  Record<Half, readonly string[]>
> = {
  bare: {
    tune: ['bare-tune.jsonl', 'bare-tune-2.jsonl', 'bare-tune-4.jsonl'],
    heldout: [
      'bare-heldout.jsonl',
      'bare-blind2.jsonl',
      'bare-blind3.jsonl',
      'bare-blind4.jsonl',
      'bare-blind5.jsonl',
      'bare-blind6.jsonl',
      'bare-blind7.jsonl',
      'bare-blind8.jsonl',
      'bare-blind9.jsonl',
    ],
    blind: ['bare-blind10.jsonl'],
  },
  named: { tune: ['lookalikes.jsonl', 'named-tune-profiles.jsonl'], heldout: ['heldout.jsonl'], blind: [] },
  offbeat: { tune: ['offbeat-tune.jsonl'], heldout: ['offbeat-heldout.jsonl'], blind: [] },
  later: { tune: ['bare-later-a.jsonl'], heldout: [], blind: ['bare-later-b.jsonl'] },
  probe: {
    tune: ['bare-probe.jsonl', 'bare-probe-2.jsonl', 'bare-probe-3.jsonl', 'bare-probe-4.jsonl', 'bare-probe-5.jsonl'],
    heldout: [],
    blind: [],
  },
};

export type HeadlineSet = keyof typeof HEADLINE_SETS;
export type Half = 'tune' | 'heldout' | 'blind';

export function loadHeadlines(set: HeadlineSet, half: Half): LabelledHeadline[] {
  return HEADLINE_SETS[set][half].flatMap((file) =>
    readFileSync(join(__dirname, '..', 'fixtures', 'headlines', file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LabelledHeadline),
  );
}

export interface Scores {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
  /** Headlines missing an expected entity: the alerts a user would never get. */
  lost: { headline: LabelledHeadline; missing: string[] }[];
  /** Headlines given an entity they are not about. */
  extra: { headline: LabelledHeadline; wrong: string[] }[];
}

/** Precision and recall over (headline, entity) pairs. */
export function score(headlines: readonly LabelledHeadline[], found: (headline: LabelledHeadline) => string[]): Scores {
  const scores: Scores = { precision: 0, recall: 0, tp: 0, fp: 0, fn: 0, lost: [], extra: [] };
  for (const headline of headlines) {
    const ids = found(headline);
    const wrong = ids.filter((id) => !headline.expected.includes(id));
    const missing = headline.expected.filter((id) => !ids.includes(id));
    scores.tp += ids.length - wrong.length;
    scores.fp += wrong.length;
    scores.fn += missing.length;
    if (missing.length > 0) scores.lost.push({ headline, missing });
    if (wrong.length > 0) scores.extra.push({ headline, wrong });
  }
  scores.precision = scores.tp + scores.fp === 0 ? 1 : scores.tp / (scores.tp + scores.fp);
  scores.recall = scores.tp + scores.fn === 0 ? 1 : scores.tp / (scores.tp + scores.fn);
  return scores;
}
