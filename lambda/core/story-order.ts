// Names on either side of the same words, in the other order: "Trump ballots in a Biden batch", then "Biden ... Trump".
import { titleCased } from './story-clauses';
import { termSet } from './story-context';
import { STATE_TERMS, sortedUnique, storyTerms } from './story-words';

/** Words between two names that say nothing of which comes first: a list, a meeting, a passive's doer, a quote. */
const EITHER_ORDER = new Set(
  'and or nor with vs versus v by meets met meet meeting says said say plus amid after before over against'.split(' '),
);
/** The same as story terms, with verbs done to each other ("talks", "clashes"): a pivot either way round tells nothing. */
const EITHER_ORDER_TERMS = termSet(`${[...EITHER_ORDER].join(' ')} talk clash spar debate face`);
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

/** At most this many terms on either side of the one change: more is a rewrite of the headline, not a fact swapped. */
const MAX_SLOT = 2;
/** At least this many terms alike around the change, so that the two headlines are one sentence told twice. */
const MIN_FRAME = 3;

/** What a headline's terms are to the slot rule: the words that tell its fact, and acts, which the act rules weigh. */
export interface SlotWords {
  /** Of a headline's terms, those that can name what differs (no title, no name of the person: factTerms). */
  facts: (headline: readonly string[]) => ReadonlySet<string>;
  isAct: (term: string) => boolean;
}

/**
 * Added or dropped, the fact stays: a county or the election a result is of ("Georgia election results"), a person's
 * own office, a date "set" for what is to come, who "writes" or "tweets" what the other headline quotes; so does a
 * title's reach ("U.S."), which no fact term is.
 */
const QUALIFIERS = termSet('office county election set write writes tweet tweets');
/** Role words that say how far something reaches: one in a swapped slot tells ("most Americans" for "Georgians"). */
const REACH_TERMS = termSet('us america american');
/** Words that hedge or limit a fact: dropped, the item states another ("hack" after "attempted hack"). */
const HEDGES = termSet(
  'attempted suspected alleged possible potential draft proposed preliminary interim acting temporarily ' +
    'temporary partial part partly without different fewer less',
);
/** At least this many terms alike around a word added or dropped. */
const MIN_ADDED_FRAME = 2;

/** The middle of the item's headline is the story's middle with its two parts the other way round ("X court Y"). */
function turnedAround(
  mine: readonly string[],
  theirs: readonly string[],
  words: SlotWords,
  facts: ReadonlySet<string>,
): string | undefined {
  if (mine.length !== theirs.length || [...mine].sort().join(' ') !== [...theirs].sort().join(' ')) return undefined;
  // Each part tells a fact: a name and a title the other way round are one person ("Krebs, director of CISA").
  const tells = (part: readonly string[]) => part.some((term) => facts.has(term));
  for (let at = 1; at < theirs.length - 1; at++) {
    if (!tells(theirs.slice(0, at)) || !tells(theirs.slice(at + 1))) continue;
    const pivot = theirs[at]!;
    const [before, after] = [theirs.slice(0, at).join(' '), theirs.slice(at + 1).join(' ')];
    const mineAt = mine.indexOf(pivot);
    // An act turned round is most often a passive ("Krebs fired by Trump"), which the act rules read; a meeting reads
    // either way.
    if (words.isAct(pivot) || EITHER_ORDER_TERMS.has(pivot) || mineAt < 1) continue;
    if (mine.slice(0, mineAt).join(' ') === after && mine.slice(mineAt + 1).join(' ') === before)
      return `${after} ${pivot} ${before}`;
  }
  return undefined;
}

/**
 * What the item's headline says in place of the story's when the two are one sentence with one short slot changed:
 * words of the event swapped ("most Georgians trust results", then "most Americans"), or two parts the other way
 * round ("from state court to federal court", then from federal to state). Undefined when the headlines differ more,
 * or the slot holds an act, a reaction, or only the person's names and roles, which the other rules weigh.
 */
export function slotChange(mine: readonly string[], theirs: readonly string[], words: SlotWords): string | undefined {
  let head = 0;
  while (head < mine.length && head < theirs.length && mine[head] === theirs[head]) head++;
  let tail = 0;
  while (tail < mine.length - head && tail < theirs.length - head && mine.at(-1 - tail) === theirs.at(-1 - tail))
    tail++;
  const [myMiddle, theirMiddle] = [mine.slice(head, mine.length - tail), theirs.slice(head, theirs.length - tail)];
  // One or two words added or dropped: "attempted hack" then "hack", "staff" then "election security staff".
  const dropped = myMiddle.length === 0;
  const added = dropped ? theirMiddle : theirMiddle.length === 0 ? myMiddle : [];
  if (head + tail >= MIN_ADDED_FRAME && added.length > 0 && added.length <= MAX_SLOT) {
    const facts = words.facts(dropped ? theirs : mine);
    // A word the item adds is news ("audit results" after "results"); a word it drops is only a shorter retelling
    // ("recount" after "hand recount") unless it hedged or limited the fact, which the item now states whole.
    const tells = (term: string) =>
      dropped ? HEDGES.has(term) : facts.has(term) && !STATE_TERMS.has(term) && !QUALIFIERS.has(term);
    return added.some(tells) ? `${added.join(' ')} ${dropped ? 'dropped' : 'added'}` : undefined;
  }
  if (head + tail < MIN_FRAME || myMiddle.length === 0 || theirMiddle.length === 0) return undefined;
  // In a slot swapped or turned round, a title's reach tells too.
  const tellsIn = (headline: readonly string[]) =>
    new Set([...words.facts(headline), ...headline.filter((term) => REACH_TERMS.has(term))]);
  const theirFacts = tellsIn(theirs);
  const turned = turnedAround(myMiddle, theirMiddle, words, theirFacts);
  if (turned) return turned;
  if (myMiddle.length > MAX_SLOT || theirMiddle.length > MAX_SLOT) return undefined;
  if (myMiddle.some((term) => theirMiddle.includes(term))) return undefined;
  if ([...myMiddle, ...theirMiddle].some(words.isAct)) return undefined;
  const myFacts = tellsIn(mine);
  if (!myMiddle.some((term) => myFacts.has(term)) || !theirMiddle.some((term) => theirFacts.has(term)))
    return undefined;
  return `${myMiddle.join(' ')} for ${theirMiddle.join(' ')}`;
}
