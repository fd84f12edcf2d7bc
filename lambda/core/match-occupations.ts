// Whether an occupation in another walk of life introduces a surname: "dairy farmer Raffensperger", "Masterson, a coach".
import { looksTitleCased } from './match-names';

const UPPER = /\p{Lu}/u;

/**
 * Local election offices none of the tracked officials held: a namesake on their beat, and occupations below. After
 * the name only as an appositive with its article or its closing
 * comma ("Masterson, a county clerk, ..."), never a list ("subpoenas Raffensperger, Coffee County clerk") or a post.
 */
const ELECTION_OFFICES: ReadonlySet<string> = new Set([
  'clerk',
  'auditor',
  'recorder',
  'registrar',
  'poll worker',
  'poll manager',
]);

/**
 * Occupations in other walks of life: how news introduces a namesake ("dairy farmer Raffensperger", "volleyball coach
 * Masterson", "Raffensperger, a Lancaster County dairy farmer", "hires Masterson as volleyball coach"). An entity whose
 * own phrases use one of them (a user tracking a coach) is never vetoed by it.
 */
const OCCUPATIONS = new Set(
  (
    'farmer dairyman rancher wrestler striker midfielder defender goalkeeper goalie winger quarterback ' +
    'linebacker pitcher shortstop outfielder infielder golfer boxer swimmer sprinter cyclist jockey coach economist ' +
    'firefighter paramedic nurse physician surgeon dentist veterinarian pharmacist teacher principal student freshman ' +
    'sophomore actor actress singer rapper musician guitarist drummer songwriter painter sculptor photographer chef ' +
    'baker brewer novelist poet comedian pastor priest bishop rabbi realtor plumber biochemist chemist astronaut ' +
    'meteorologist teen teenager contractor reporter journalist blogger columnist'
  )
    .split(' ')
    .concat([...ELECTION_OFFICES].filter((office) => !office.includes(' '))),
);
/** Occupations of two or three words whose last word alone says nothing ("police chief", "state rep"). */
const OCCUPATION_PHRASES = new Set([
  'police chief',
  'fire chief',
  'police officer',
  "sheriff's deputy",
  'township supervisor',
  'township trustee',
  'school board member',
  'election judge',
  'state rep',
  'state representative',
  'state senator',
  'state sen',
  ...[...ELECTION_OFFICES].filter((office) => office.includes(' ')),
]);
/** Last words of OCCUPATION_PHRASES: the only words before a hit worth reading further back from. */
const PHRASE_ENDS = new Set([...OCCUPATION_PHRASES].map((phrase) => phrase.split(' ').at(-1)!));
/** What may stand between a surname and the occupation after it: an appositive comma, or a new post. */
const OCCUPATION_LINKS = [' as ', ' named ', ' becomes ', ' sworn in as '];
/** How many characters after a hit link it to an occupation that follows, or 0: read with startsWith, no regex. */
function occupationLink(text: string, end: number): number {
  const next = text.charCodeAt(end);
  if (next === 0x2c) return 1;
  if (next !== 0x20) return 0;
  const ahead = text.slice(end, end + 14).toLowerCase();
  return OCCUPATION_LINKS.find((link) => ahead.startsWith(link))?.length ?? 0;
}
/** Words opening a phrase after a name that tell of someone else's job, not the named person's: "son of a teacher". */
const NOT_APPOSITION = new Set(
  'whose who son daughter father mother wife husband brother sister mom dad child grandson granddaughter'.split(' '),
);
/** Words that make an occupation no walk of life: an honour, a guest byline, a pastime ("an avid cyclist"). */
const NOT_A_JOB = new Set(['honorary', 'guest', 'avid', 'lifelong', 'sunday']);
/** Ages of life: "Krebs as a teen" looks back at the person; "teen Krebs" and "Krebs, a teen wrestler" are others. */
const LIFE_STAGES = new Set('teen teenager student freshman sophomore'.split(' '));

/** Verbs whose object an occupation before a name can be: "tells reporter Raffensperger is a 'loser'". */
const SPEECH_VERBS = new Set('tells told tell asks asked ask thanks thanked'.split(' '));

/** Whether the occupation `found` is written capitalized in `phrase` inside a text that is not in Title Case. */
function honourName(text: string, phrase: string, found: string): boolean {
  const first = found.split(' ')[0]!;
  const at = phrase.toLowerCase().indexOf(first);
  return at >= 0 && UPPER.test(phrase.charAt(at)) && !looksTitleCased(text, -1, -1);
}

/** Words that may follow an occupation that heads its phrase ("police chief in Stillwater", "coach at Kennesaw"). */
const AFTER_OCCUPATION = new Set('at of for in on by with from who and to after before amid over since'.split(' '));
const isBlank = (code: number) => code === 0x20 || code === 0x09 || code === 0xa0;

const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/\u2019/g, "'")
    .split(/[ \t\u00a0]+/u)
    .filter((word) => word !== '')
    .map((word) => word.replace(/\.$/u, ''));

/**
 * The occupation that `words` ends with (the last one, two or three of them), in the singular only: a plural before
 * a name is its verb's object ("tells reporters Raffensperger is ..."), and after it a list ("Raffensperger,
 * journalists and poll workers").
 */
function occupationEnding(words: readonly string[]): string | undefined {
  for (const size of [3, 2]) {
    if (words.length < size) continue;
    const phrase = words.slice(-size).join(' ');
    if (OCCUPATION_PHRASES.has(phrase)) return phrase;
  }
  const last = words.at(-1);
  return last !== undefined && OCCUPATIONS.has(last) ? last : undefined;
}

/** The occupations of the list that the entity's own phrases use (lower case): a user tracking a coach. */
export function ownOccupations(phrases: readonly string[]): ReadonlySet<string> {
  const own = new Set<string>();
  for (const phrase of phrases) {
    const phraseWords = wordsOf(phrase);
    phraseWords.forEach((_, index) => {
      const found = occupationEnding(phraseWords.slice(0, index + 1));
      if (found !== undefined) own.add(found);
    });
  }
  return own;
}

/**
 * The occupation in another walk of life that introduces a surname hit, if any and not one of the entity's own
 * (`own.jobs`): the news names someone else by that surname. Before the name, the words right before it; after it, an
 * appositive or a new post of at most five words ("as head volleyball coach"). None after one of the entity's own
 * given names (`own.names`): the person named in full ("Brad Raffensperger, a ...").
 */
export function occupationOf(
  text: string,
  hit: { start: number; end: number },
  own: { jobs: ReadonlySet<string>; names: ReadonlySet<string> },
): string | undefined {
  let found: string | undefined;
  // Most hits follow no occupation: the word right before is read alone, and further back only for a phrase's end.
  let wordEnd = hit.start;
  while (wordEnd > 0 && isBlank(text.charCodeAt(wordEnd - 1))) wordEnd--;
  if (wordEnd < hit.start) {
    let wordStart = wordEnd;
    while (wordStart > 0 && !isBlank(text.charCodeAt(wordStart - 1))) wordStart--;
    const last = text
      .slice(wordStart, wordEnd)
      .toLowerCase()
      .replace(/\u2019/g, "'");
    const word = last.endsWith('.') ? last.slice(0, -1) : last;
    if (own.names.has(/\p{L}+$/u.exec(word)?.[0] ?? '')) return undefined;
    // "tells reporter Raffensperger is ...": the occupation is the verb's object, the name a clause's subject. A
    // "guest columnist" or an "honorary coach" is no one's walk of life.
    const previous = () => wordsOf(text.slice(Math.max(0, wordStart - 16), wordStart)).at(-1) ?? '';
    if (OCCUPATIONS.has(word)) {
      if (!SPEECH_VERBS.has(previous()) && !NOT_A_JOB.has(previous())) found = word;
    } else if (PHRASE_ENDS.has(word))
      found = occupationEnding(wordsOf(text.slice(Math.max(0, wordStart - 40), wordEnd)));
  }
  const link = found === undefined ? occupationLink(text, hit.end) : 0;
  if (link > 0) {
    const phrase = text.slice(hit.end + link, hit.end + 72).split(/[,;:!?()"\u201c\u201d]/u)[0]!;
    const words = wordsOf(phrase);
    // "Masterson, whose father was a firefighter", "son of a teacher": a relative's job.
    const aside = NOT_APPOSITION.has(words[0] ?? '') || words.some((word) => NOT_A_JOB.has(word));
    // The occupation heads the phrase: "principal architect of ..." is no school principal.
    for (let end = 1; end <= Math.min(5, words.length) && found === undefined && !aside; end++) {
      const next = words[end];
      if (next === undefined || AFTER_OCCUPATION.has(next)) found = occupationEnding(words.slice(0, end));
    }
    // Capitalized in a sentence-case headline it is an honour's name: "named Defender of Democracy".
    if (found !== undefined && honourName(text, phrase, found)) found = undefined;
    if (found !== undefined && LIFE_STAGES.has(found) && text.startsWith(' as ', hit.end)) found = undefined;
    // A post held for a day is an honour: "Raffensperger, principal for a day, reads to kindergartners".
    if (found !== undefined && /\bfor a day\b/iu.test(phrase)) found = undefined;
    if (found !== undefined && ELECTION_OFFICES.has(found)) {
      const closed = text.charCodeAt(hit.end + link + phrase.length) === 0x2c;
      if (link !== 1 || !(closed || ['a', 'an', 'the'].includes(words[0] ?? ''))) found = undefined;
    }
  }
  return found === undefined || own.jobs.has(found) ? undefined : found;
}
