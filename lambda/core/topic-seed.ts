// Topic counts from labelled text: how the shipped seed is built (test/support/topic-seed-build.ts) and evaluated.
import { foldPhrase } from './text-fold';
import { addToSide, emptyCounts, type TopicCounts } from './topic-profile';
import { itemTopicTerms, type TopicText } from './topic-terms';
import type { Entity } from './types';

/** A text judged by hand: the tracked entities it is about. */
export interface LabelledText extends TopicText {
  entities: readonly string[];
}

/**
 * Per entity with ambiguous terms: texts about it count on the `about` side; texts that use one of its ambiguous terms
 * and are not about it (the look-alikes) on the `other` side. Other texts say nothing about who the name means.
 */
export function seedCounts(entities: readonly Entity[], texts: readonly LabelledText[]): Record<string, TopicCounts> {
  const seed: Record<string, TopicCounts> = {};
  const folded = texts.map(
    ({ title, summary }) => ` ${foldPhrase(`${title}\n${summary ?? ''}`).replace(/[^\p{L}\p{N}]+/gu, ' ')} `,
  );
  const termsOf = texts.map((text) => itemTopicTerms(text));
  for (const entity of entities) {
    if (entity.ambiguous.length === 0) continue;
    const counts = emptyCounts();
    const words = entity.ambiguous.map((phrase) => ` ${foldPhrase(phrase).replace(/[^\p{L}\p{N}]+/gu, ' ')} `);
    texts.forEach(({ entities: about }, index) => {
      if (about.includes(entity.id)) addToSide(counts.about, termsOf[index]!);
      else if (words.some((word) => folded[index]!.includes(word))) addToSide(counts.other, termsOf[index]!);
    });
    seed[entity.id] = counts;
  }
  return seed;
}
