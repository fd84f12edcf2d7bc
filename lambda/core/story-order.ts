// Names on either side of the same words, in the other order: "Trump ballots in a Biden batch", then "Biden ... Trump".
import { titleCased } from './story-clauses';
import { sortedUnique, storyTerms } from './story-words';

/** Words between two names that say nothing of which comes first: a list, a meeting, a passive's doer, a quote. */
const EITHER_ORDER = new Set(
  'and or nor with vs versus v by meets met meet meeting says said say plus amid after before over against'.split(' '),
);
/** At most this many words between the two names. */
const MAX_BETWEEN = 4;
/** Runs of capitalized words (a name: "Cobb County") and the words between them, in headline order. */
const TOKEN = /[\p{L}\p{N}]+(?:['\u2019.][\p{L}\p{N}]+)*|[,:;!?()"\u201c\u201d\u2014\u2013|]/gu;
const WORD = /^[\p{L}\p{N}]/u;

/**
 * Each pair of names with one to four lower-case words between them, as "first|between|second" (names as terms,
 * between words folded): "trump|ballots in|biden". The same pair the other way round, the words between alike, is
 * another fact. None in Title Case, where every word looks like a name, and none for a pair whose words between
 * read either way ("Kemp meets Raffensperger", "Trump fires Krebs" then "Krebs fired by Trump").
 */
export function namePairs(headline: string, titleCase = titleCased(headline)): string[] {
  if (titleCase) return [];
  const tokens = [...headline.matchAll(TOKEN)].map((match) => match[0]);
  const runs: { name: string; start: number; end: number }[] = [];
  for (let index = 0; index < tokens.length; ) {
    if (!/^\p{Lu}/u.test(tokens[index]!)) {
      index++;
      continue;
    }
    const start = index;
    while (index < tokens.length && /^\p{Lu}/u.test(tokens[index]!)) index++;
    runs.push({ name: storyTerms(tokens.slice(start, index).join(' ')).join(' '), start, end: index });
  }
  const pairs: string[] = [];
  for (let at = 1; at < runs.length; at++) {
    const [first, second] = [runs[at - 1]!, runs[at]!];
    // Punctuation parts runs ("Krebs: Russia"), and says nothing between them ("Russia, not China").
    const between = tokens
      .slice(first.end, second.start)
      .filter((token) => WORD.test(token))
      .map((word) => word.toLowerCase());
    if (first.name === '' || second.name === '' || first.name === second.name) continue;
    if (between.length === 0 || between.length > MAX_BETWEEN || between.some((word) => EITHER_ORDER.has(word)))
      continue;
    pairs.push(`${first.name}|${between.join(' ')}|${second.name}`);
  }
  return sortedUnique(pairs);
}

/** The same pair the other way round: "biden|ballots in|trump" for "trump|ballots in|biden". */
export function otherOrder(pair: string): string {
  const [first, between, second] = pair.split('|');
  return `${second}|${between}|${first}`;
}
