// Words a headline marks a repeat or a different chamber with: "second recount", "more threats", "House panel".
import { STATE_TERMS, storyTerms } from './story-words';
import { foldedWords } from './text-fold';

/** Words that say the headline's act happened before: its news is the repeat ("testifies again", "second lawsuit"). */
const REPEAT_WORDS = new Map(
  Object.entries({
    second: 'second',
    '2nd': 'second',
    third: 'third',
    '3rd': 'third',
    fourth: 'fourth',
    '4th': 'fourth',
    fifth: 'fifth',
    again: 'again',
    anew: 'again',
    another: 'another',
    too: 'too',
    also: 'also',
    latest: 'latest',
    renewed: 'renewed',
    fresh: 'fresh',
    additional: 'more',
    separate: 'separate',
    new: 'new',
    further: 'further',
    own: 'own',
    // Others acted on, or all others done: "Trump fires other top CISA officials", "only Fulton still counting".
    other: 'other',
    others: 'other',
    only: 'only',
  }),
);

/**
 * The repeat markers a headline carries, normalized ("2nd" -> second), and "more" unless it is "more than" (a count,
 * "cuts more than 130 jobs"): "CISA adds three more flaws to KEV catalog" after "CISA adds flaw to KEV catalog" is a
 * new development that shares every other word with its story.
 */
export function repeatMarkers(headline: string): string[] {
  const words = foldedWords(headline);
  const found = new Set<string>();
  words.forEach((word, index) => {
    const marker = REPEAT_WORDS.get(word);
    if (marker) found.add(marker);
    else if (word === 'more' && words[index + 1] !== 'than') found.add('more');
  });
  return [...found].sort();
}

/** A legislature's chamber, capitalized, not the White House ("Senate panel", "Georgia House", "House committee"). */
const CHAMBER = /(?<!White |Opera |Court |State )\b(House|Senate|Assembly)\b/gu;

/** A committee of the chamber just named: "Senate panel", "House Homeland Security Committee". */
const COMMITTEE_AFTER =
  /^(?:\s+(?:[\p{Lu}&][\p{L}&'\u2019.-]*|and|on|of)){0,6}?\s+(?:[Ss]ub)?(?:[Cc]ommittee|[Pp]anel)s?\b/u;
/** The chamber itself voting: "Senate approves", "House narrowly passes", "Assembly votes to ...". */
const FLOOR_VOTE_AFTER =
  /^\s+(?:(?:narrowly|unanimously|overwhelmingly|quickly|formally|officially)\s+)?(?:approves?|approved|pass(?:es|ed)?|advances?|advanced|votes?|voted|confirms?|confirmed|rejects?|rejected|adopts?|adopted|backs?|backed|kills?|killed|clears?|cleared|OKs?|greenlights?)\b/u;
/** Congress's chamber, not a state's: "U.S. Senate", "US House", "federal". */
const US_BEFORE = /(?:\bU\.?S\.?|\bUnited States|\bfederal|\bCongressional)\s*$/u;

/**
 * The chambers a headline names: "testifies before House panel" after "... Senate panel" is another hearing; and where
 * it says, who in it votes ("senate committee" then "senate floor": "Senate committee approves", then "Senate
 * approves") and whose chamber it is ("state senate" then "us senate": the Pennsylvania Senate, then the U.S. Senate).
 */
export function chambers(headline: string): string[] {
  // An all-caps headline capitalizes every word: read it as Title Case ("BEFORE HOUSE PANEL" -> "Before House Panel").
  const text = /\p{Ll}/u.test(headline)
    ? headline
    : headline
        .toLowerCase()
        .replace(/(^|[^\p{L}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
  const found = new Set<string>();
  for (const match of text.matchAll(CHAMBER)) {
    const chamber = match[1]!.toLowerCase();
    found.add(chamber);
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 80);
    // Who votes: a committee, or the chamber itself; a chamber named only as a venue ("Senate testimony") says neither.
    if (COMMITTEE_AFTER.test(after)) found.add(`${chamber} committee`);
    else if (FLOOR_VOTE_AFTER.test(after)) found.add(`${chamber} floor`);
    const before = text.slice(Math.max(0, match.index - 24), match.index);
    const previous = /(\S+)\s+$/u.exec(before)?.[1] ?? '';
    const state = previous === 'state' || storyTerms(previous).some((term) => STATE_TERMS.has(term));
    const level = US_BEFORE.test(before) ? 'us' : state ? 'state' : undefined;
    if (level) found.add(`${level} ${chamber}`);
  }
  return [...found].sort();
}

/** A capitalized word before "County": the county a headline names ("Cochise County supervisors"). */
const COUNTY = /(\p{Lu}[\p{L}'\u2019-]*)\s+County\b/gu;

/**
 * The counties a headline names, outside Title Case (where every word before "County" is capitalized): "Fulton County
 * recount confirms Biden's win" is another count than the statewide one, and than Cobb County's.
 */
export function counties(headline: string, titleCase: boolean): string[] {
  if (titleCase) return [];
  return [...new Set([...headline.matchAll(COUNTY)].map((match) => match[1]!.toLowerCase()))].sort();
}

/** Words that say which level of court acts: "federal judge", "appeals court", "high court". */
const COURT_LEVELS = new Map(
  Object.entries({
    federal: 'federal',
    us: 'federal',
    district: 'federal',
    appeals: 'appeals',
    appellate: 'appeals',
    circuit: 'appeals',
    supreme: 'supreme',
    high: 'supreme',
    top: 'supreme',
    state: 'state',
    superior: 'state',
    county: 'state',
  }),
);
const COURT = /^(judges?|courts?|justices?)$/iu;
/** Capitalized words before "judge" that name no place: "Another judge", "Trump's judge". */
const NOT_PLACES = new Set('a an the another one two second third new lower local former ex trump biden'.split(' '));

/** A court level ("federal court") or the place a court sits ("fulton court"). */
export const COURT_LEVEL_NAMES: ReadonlySet<string> = new Set([...COURT_LEVELS.values()].map((l) => `${l} court`));

/**
 * The courts a headline names by level or place, from the words before "judge" or "court": "Federal judge dismisses
 * ... lawsuit" after "Fulton judge dismisses ... lawsuit" is the case in another court. In Title Case every word is
 * capitalized, so only the level words count there.
 */
export function courts(headline: string, titleCase: boolean): string[] {
  const words = headline
    .split(/[^\p{L}\p{N}.'\u2019]+/u)
    .map((word) => word.replace(/^[.'\u2019]+|(['\u2019]s)?[.'\u2019]*$/gu, ''));
  const found = new Set<string>();
  words.forEach((word, index) => {
    if (!COURT.test(word)) return;
    if (/^courts?$/iu.test(word) && /^appeals?$/iu.test(words[index + 2] ?? '') && /^of$/iu.test(words[index + 1]!)) {
      found.add('appeals court');
    }
    for (let before = index - 1; before >= 0 && before >= index - 3; before--) {
      const qualifier = words[before]!;
      const lower = qualifier.toLowerCase();
      // "U.S." and "US" alike.
      const level = COURT_LEVELS.get(lower.replaceAll('.', ''));
      if (level) found.add(`${level} court`);
      else if (!titleCase && /^\p{Lu}/u.test(qualifier) && !NOT_PLACES.has(lower) && !COURT.test(qualifier)) {
        found.add(`${lower} court`);
        // A state's court is a state court at any level: "Georgia Supreme Court" is not the U.S. Supreme Court.
        if (STATE_TERMS.has(storyTerms(lower)[0] ?? '')) found.add('state court');
      } else break;
    }
  });
  // A court named by its county or city alone is a state court: "Fulton judge" is not the federal bench.
  if (found.size > 0 && ![...found].some((name) => COURT_LEVEL_NAMES.has(name))) found.add('state court');
  return [...found].sort();
}

/** Words that deny what the headline names: "CISA says its networks were not breached", "denies report". */
const NEGATIONS = new Set(
  (
    'not no never none nothing nor deny denies denied denying denial false falsely ' +
    'isnt wasnt arent werent didnt doesnt dont wont cant couldnt hasnt havent'
  ).split(' '),
);

/** Whether a headline denies or negates what it names: "finds no evidence" is another report than "finds evidence". */
export function negated(headline: string): boolean {
  // Folded words lose their apostrophes: "isn't" is "isnt". "No. 2" is a rank, not a denial.
  return foldedWords(headline.replace(/\bno\.\s*(?=\d)/gi, ' ')).some((word) => NEGATIONS.has(word));
}

/** Verbs of a decision whose side a headline names: "rules against", "sides with", "decides in favor of". */
const DECISIONS = new Set(
  (
    'rule rules ruled ruling side sides sided decide decides decided finds found vote votes voted voting ' +
    'argue argues argued lobby lobbies lobbied'
  ).split(' '),
);
/** Votes whose "to" is for what follows: "votes to certify" after "votes against certifying". */
const VOTES = new Set(['vote', 'votes', 'voted', 'voting']);

/**
 * For or against whom a decision goes, with the first word after ("against jena"): "Judge rules for Jena Griswold"
 * after "Judge rules against Jena Griswold" is the case's next ruling, every other word alike. Undefined when none.
 */
export function stance(headline: string): string | undefined {
  const words = foldedWords(headline);
  for (let at = 1; at < words.length - 1; at++) {
    // On or off a ballot: "keeps Greene on ballot", then "... off Georgia primary ballot".
    const placed = words.slice(at + 1, at + 5).includes('ballot');
    if ((words[at] === 'on' || words[at] === 'off') && placed)
      return `${words[at] === 'on' ? 'for' : 'against'} ballot`;
    if (!DECISIONS.has(words[at - 1]!)) continue;
    const word = words[at]!;
    // Whom or what, as its term, so "certifying" and "certify" meet.
    const whom = (next: string) => storyTerms(next)[0] ?? next;
    if (word === 'against') return `against ${whom(words[at + 1]!)}`;
    if (word === 'for' || word === 'with') return `for ${whom(words[at + 1]!)}`;
    if (word === 'to' && VOTES.has(words[at - 1]!)) return `for ${whom(words[at + 1]!)}`;
    if (word === 'in' && words[at + 1] === 'favor' && words[at + 2] === 'of' && words[at + 3]) {
      return `for ${whom(words[at + 3]!)}`;
    }
  }
  return undefined;
}

/** Words that say which way a figure moved, by the way. */
const DIRECTIONS = new Map(
  Object.entries({
    up: 'up rise rises rose risen increase increases increased higher jumps jumped climbs climbed surges surged above',
    down: 'down fall falls fell drop drops dropped decrease decreases decreased lower declines declined dips dipped below',
  }).flatMap(([way, words]) => words.split(' ').map((word) => [word, way] as const)),
);
/** Words on one side of a figure, and what such a figure measures: "under 2020 pace", "over 50 percent". */
const FIGURE_SIDES: Readonly<Record<string, string>> = { under: 'down', over: 'up' };
const MEASURES = new Set(['pace', 'percent', 'mark', 'level', 'levels', 'turnout', 'threshold']);
/** What comes after "before" or "after" that makes it a time, not a place ("testifies before Senate panel"). */
const TIMES = new Set(
  (
    'election elections deadline polls noon midnight runoff runoffs certification midterms midterm primary primaries ' +
    'vote inauguration thanksgiving christmas holidays recess summer fall winter spring'
  ).split(' '),
);
/** A year: "before 2026 midterms" puts the act on a side of a time. */
const YEAR = /^(?:19|20)\d\d$/u;

/**
 * Which way the headline's figure moved ("up", "down"), or on which side of a time it puts the act ("before",
 * "after" Election Day, a weekday, the deadline): "turnout down from 2020" after "turnout up from 2020" is the next
 * day's figure, "voters can fix ballot errors after Election Day" after "... before Election Day" a new rule.
 */
export function direction(headline: string): string | undefined {
  const words = foldedWords(headline);
  // The side of a time wins over a figure's way: "review to wrap up after 2026 primaries" is no figure gone up.
  let figure: string | undefined;
  for (let at = 0; at < words.length; at++) {
    const word = words[at]!;
    const way = DIRECTIONS.get(word);
    if (way) {
      figure ??= way;
      continue;
    }
    // "Ahead of" and "prior to" a time are before it.
    if ((word === 'ahead' && words[at + 1] === 'of') || (word === 'prior' && words[at + 1] === 'to')) {
      const time = words[at + 2] === 'the' ? words[at + 3] : words[at + 2];
      if (time && isTime(time)) return 'before';
    }
    const next = words[at + 1] === 'the' ? words[at + 2] : words[at + 1];
    // "Under" and "over" are a side of a figure only before one ("running under 2020 pace"), not in "sues over".
    const measure = words[at + 1 + Number(words[at + 1] === 'the') + 1];
    if (FIGURE_SIDES[word] && next && /^\d/u.test(next) && measure && MEASURES.has(measure))
      figure ??= FIGURE_SIDES[word];
    if ((word === 'before' || word === 'after') && next && isTime(next)) return word;
    // "Over-counted" and "under-counted" Biden votes are errors the other way.
    if ((word === 'over' || word === 'under') && next?.startsWith('count')) figure ??= FIGURE_SIDES[word];
    if (word === 'overcounted' || word === 'undercounted') figure ??= FIGURE_SIDES[word.slice(0, -7)];
  }
  return figure;
}

const isTime = (word: string) => TIMES.has(word) || WEEKDAYS.has(word) || YEAR.test(word);

const OPPOSITE: Readonly<Record<string, string>> = { up: 'down', down: 'up', before: 'after', after: 'before' };
/** Whether two directions contradict: up and down, before and after. */
export const otherWay = (way: string, other: string | undefined) => other !== undefined && OPPOSITE[way] === other;

/** A weekday dates the news like a number: "expected to finish Friday" after "... Wednesday" is another estimate. */
const WEEKDAYS = new Set('monday tuesday wednesday thursday friday saturday sunday'.split(' '));

const NUMBER_WORDS = new Map(
  'one two three four five six seven eight nine ten eleven twelve'.split(' ').map((word, i) => [word, String(i + 1)]),
);

/** How much of a count a headline gives, a number's kin: "all counties certified" after "most" or "70 of 72". */
const QUANTIFIERS = new Map(
  Object.entries({
    all: 'all',
    every: 'all',
    most: 'most',
    half: 'half',
    first: 'first',
    last: 'last',
    final: 'last',
    some: 'some',
    handful: 'some',
    few: 'few',
    several: 'several',
    today: 'today',
    tonight: 'today',
    tomorrow: 'tomorrow',
  }),
);
/** A figure in a scale, read whole: "half a million" is not "a million", nor "1.2 million". */
const SCALED = /\b(half an?|an?|one|\d[\d,.]*)\s+(thousand|million|billion)\b/giu;
const scaleOf = (figure: string) => (/^half/iu.test(figure) ? 'half' : /^\d/u.test(figure) ? figure : '1');
/**
 * A span of time counted ("pushes certification back a day", "a week away"): a day is not a week. Not one that only
 * dates the news against another ("a day after Krebs ouster").
 */
const COUNTED_SPAN = /\b(an?|one|\d+)\s+(day|week|month|year)s?\b(?!\s+(?:after|before|later|earlier|ago|since)\b)/giu;
/** Whether a count is official: "official audit tally" after "unofficial audit tally" is the next step. */
const STANDINGS = new Map(
  Object.entries({ official: 'official', unofficial: 'unofficial', preliminary: 'unofficial' }),
);
const COUNTS = new Set('results tally count returns totals figures canvass'.split(' '));
/** Spans of time a headline may name for what is to come: "this week", then "Monday", is another estimate. */
const SPANS = new Set(
  (
    'week weekend month year session term season quarter election cycle summer fall winter spring ' +
    'january february march april may june july august september october november december'
  ).split(' '),
);
/** Words between "this" or "next" and its span: "next fiscal year". */
const SPAN_KINDS = new Set(['fiscal', 'legislative', 'school', 'calendar', 'general', 'primary']);
const SPAN_OF = new Set(['this', 'next']);
/** A figure, and whether a share sign or word follows it. */
const FIGURE = /(\d[\d,.]*)(\s*(?:%|percent\b|per cent\b))?/gu;
/** A rate's unit: "per week", "a day" after a count. */
const PER_UNIT = /\bper\s+(hour|day|week|month|year)\b/giu;
/** Reuters' revision prefix: "UPDATE 1-", "UPDATE 3-". */
const WIRE_UPDATE = /^\s*(?:UPDATE|REFILE|CORRECTED)\s*\d*\s*-\s*/u;
/**
 * Things and people counted one by one, whose plural is another count: "a staffer placed on leave", then "staffers";
 * "a memory card", then "cards". Not those headlines name in general ("election officials", "voting machines").
 */
const COUNTABLE = new Set(
  'staffer employee worker contractor noncitizen website server laptop card device drive'.split(' '),
);
/** Words that make a quantifier another figure: "nearly all" counties is not all of them. */
const HEDGES = new Set(['nearly', 'almost', 'not']);

/**
 * The numbers a headline names, digits or words up to twelve ("three" -> 3; "1,300" -> 1300; "$55M" -> 55), its
 * quantifiers ("all", "nearly all", "most", "half", "some", "first", "last") and days ("today", "tomorrow", "friday").
 */
export function headlineNumbers(headline: string): string[] {
  const found = new Set<string>();
  // A wire's revision prefix ("UPDATE 3-") numbers the copy, not the news.
  const text = headline.replace(WIRE_UPDATE, '');
  for (const match of text.matchAll(FIGURE)) {
    const figure = match[1]!.replace(/[,.]+$/u, '').replace(/,/gu, '');
    // A share is not a count: "cuts 30 percent of staff" then "cuts 30 staff".
    found.add(match[2] ? `${figure}%` : figure);
  }
  // A rate's unit: "100 threats per week" then "per day".
  for (const [, unit] of text.matchAll(PER_UNIT)) found.add(`per ${unit!.toLowerCase()}`);
  for (const [, count, unit] of text.matchAll(COUNTED_SPAN)) {
    found.add(`${/^\d/u.test(count!) ? count : '1'} ${unit!.toLowerCase()}`);
  }
  for (const [, figure, scale] of text.matchAll(SCALED)) found.add(`${scaleOf(figure!)} ${scale!.toLowerCase()}`);
  const words = foldedWords(text);
  words.forEach((word, at) => {
    const quantity = QUANTIFIERS.get(word);
    const hedged = quantity && HEDGES.has(words[at - 1] ?? '') ? `${words[at - 1]} ${quantity}` : quantity;
    const number = NUMBER_WORDS.get(word) ?? hedged ?? (WEEKDAYS.has(word) ? word : undefined);
    if (number) found.add(number);
    const standing = STANDINGS.get(word);
    if (standing && COUNTS.has(words[at + 1 + Number(words[at + 1] === 'audit')] ?? '')) found.add(standing);
    const of = SPAN_KINDS.has(words[at - 1] ?? '') ? words[at - 2] : words[at - 1];
    if (SPANS.has(word) && SPAN_OF.has(of ?? '')) found.add(`${of} ${word}`);
    const one = COUNTABLE.has(word) ? word : undefined;
    const many = !one && word.endsWith('s') && COUNTABLE.has(word.slice(0, -1)) ? word.slice(0, -1) : undefined;
    if (one) found.add(`one ${one}`);
    if (many) found.add(`many ${many}`);
  });
  return [...found].sort();
}
