// The join rule news-alerts used before event evidence (term overlap of whole signatures), kept as the benchmark's baseline.
import type { StoryRef, StorySignature } from '../../lambda/core/story';

const STORY_THRESHOLD = 0.25;
const ORIGIN_THRESHOLD = 0.15;

function sharedCount(a: readonly string[], b: readonly string[]): number {
  const other = new Set(b);
  return a.filter((term) => other.has(term)).length;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = sharedCount(a, b);
  return shared / (a.length + b.length - shared);
}

function overlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return sharedCount(a, b) / Math.min(a.length, b.length);
}

function similarity(a: StorySignature, b: StorySignature): number {
  return Math.max(jaccard(a.terms, b.terms), 0.8 * overlap(a.title, b.title));
}

/** The baseline's choice: the most similar live candidate at >= 0.25 to its item and >= 0.15 to the story's first. */
export function baselineChoice(
  signature: StorySignature,
  entityIds: readonly string[],
  candidates: readonly StoryRef[],
  at: number,
  windowMs: number,
): string | undefined {
  let best: { id: string; score: number; seenAt: number } | undefined;
  for (const ref of candidates) {
    if (Math.abs(at - ref.seenAt) > windowMs || !ref.entities.some((id) => entityIds.includes(id))) continue;
    const score = similarity(signature, ref.signature);
    if (score < STORY_THRESHOLD || similarity(signature, ref.origin) < ORIGIN_THRESHOLD) continue;
    if (!best || score > best.score || (score === best.score && ref.seenAt > best.seenAt))
      best = { id: ref.storyId, score, seenAt: ref.seenAt };
  }
  return best?.id;
}
