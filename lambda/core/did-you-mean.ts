// "Did you mean ...?" for a mistyped name: the closest known name, when it is close enough to be the one meant.
import { distance } from 'fastest-levenshtein';

/**
 * The known name nearest `input` (ignoring case) when it is within two edits, or a third of its letters for a long
 * one (a swapped pair of letters is two); else undefined.
 */
export function closestName(input: string, known: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: { name: string; edits: number } | undefined;
  for (const name of known) {
    const edits = distance(typed, name.toLowerCase());
    if (best === undefined || edits < best.edits) best = { name, edits };
  }
  return best !== undefined && best.edits <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}
