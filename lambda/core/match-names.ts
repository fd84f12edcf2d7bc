// Whether a bare surname names someone else: an honorific or another given name before it, another name part after it
// (outside title case), or lower case where a name is capitalized.

/** How far back the name rules look: a few words, so long content is not rescanned for every hit. */
const LOOK_BEHIND = 48;

/** The text just before `end`, cut back to at most LOOK_BEHIND characters and then to the start of a word. */
function tail(text: string, end: number): string {
  const from = end - LOOK_BEHIND;
  if (from <= 0) return text.slice(0, end);
  const space = text.slice(from, end).search(/\s/u);
  return space === -1 ? '' : text.slice(from + space, end);
}

/**
 * Honorifics and offices the tracked people do not go by: "Dr. Krebs", "Sheriff Masterson", "Judge Sterling" are
 * someone else (an alias can still say "Dr. X"), wherever the word stands, unless the entity's own phrases name it.
 */
const HONORIFIC_BEFORE =
  /(?:^|[^\p{L}\p{N}])(dr|prof|professor|mrs|ms|miss|sheriff|judge|justice|mayor|coach|pastor|rev|reverend|sgt|sergeant|detective|trooper|deputy sheriff|councilman|councilwoman|alderman)\.?[ \t\u00a0]+$/iu;
/** A capitalized word (one capital, then small letters) right before the hit, one run of spaces between. */
const CAPITALIZED_WORD_BEFORE = /(?:^|[\s"\u201c\u2018([])(\p{Lu}\p{Ll}+)[ \t\u00a0]+$/u;
/**
 * Capitalized words that can stand right before a tracked person's surname without being a given name: titles and
 * roles ("Director Krebs", "Adviser Masterson"), and days ("On Tuesday Krebs said").
 */
const NOT_GIVEN_NAMES = new Set(
  (
    'mr mister sir director chief head secretary official officials adviser advisor manager officer cofounder founder ' +
    'partner fellow deputy acting former ex commissioner chairman chair agency senator sen representative rep ' +
    'governor gov president vice monday tuesday wednesday thursday friday saturday sunday today yesterday tonight'
  ).split(' '),
);
/**
 * Common given names that are not also common words: another person even where capitals say nothing, at a sentence's
 * start ("Linda Krebs, a retired teacher, ...") or in Title Case. The tracked people's own given names are aliases.
 */
const GIVEN_NAMES = new Set(
  (
    'james john robert michael william david richard joseph thomas charles daniel matthew anthony donald steven paul ' +
    'andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric ' +
    'jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick jack dennis jerry tyler ' +
    'aaron jose adam nathan henry zachary douglas peter kyle noah ethan jeremy walter keith roger terry ' +
    'austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan albert ' +
    'willie alan eugene russell vincent philip bobby johnny bradley tom jim danny mike dave steve bob ' +
    'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ' +
    'ashley kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca sharon laura cynthia ' +
    'dorothy amy kathleen angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra ' +
    'rachel carolyn janet maria catherine heather diane olivia julie joyce victoria ruth virginia lauren kelly ' +
    'christina joan evelyn judith andrea hannah megan cheryl jacqueline martha madison teresa gloria sara janice ' +
    'ann kathryn abigail sophia frances jean alice judy isabella julia beverly denise marilyn amber danielle ' +
    'brittany diana natalie theresa ' +
    'ellen cole luke evan ian seth wayne dale glenn craig todd troy shane brett derek chad marcus jared caleb connor ' +
    'owen colin trevor eli kristen kristin erin tracy tina wendy holly jill leah katie kate beth tara dana carrie ' +
    'molly paige allison alyssa brooke'
  ).split(' '),
);
/**
 * Given names that are also common words ("Mark", "Will", "Grant"): another person only in the middle of a sentence
 * outside Title Case, where nothing else capitalizes them ("names Mark Raffensperger chief information officer").
 */
const WORD_GIVEN_NAMES = new Set(
  'mark will grant dean chase hunter mason rose june hope faith bill art pat don ray guy drew gene wade lance'.split(
    ' ',
  ),
);
/** How much text either side of a name decides whether it is title-cased. */
const TITLE_CASE_RADIUS = 160;
/** Words that neither make nor break title case. */
const MINOR_WORDS = new Set(
  'a an the and or nor but of in on at to for by as vs via per from with into onto over after up off out is are'.split(
    ' ',
  ),
);

/** A heading where (almost) every word is capitalized: capitals there say nothing about names. */
function looksTitleCased(text: string, skipFrom: number, skipTo: number): boolean {
  let capitalized = 0;
  let lower = 0;
  for (const word of text.matchAll(/\p{L}[\p{L}\p{M}\p{N}'\u2019]*/gu)) {
    const at = word.index;
    if ((at >= skipFrom && at < skipTo) || MINOR_WORDS.has(word[0].toLowerCase())) continue;
    const first = word[0][0]!;
    if (first !== first.toLowerCase()) capitalized++;
    else if (first !== first.toUpperCase()) lower++;
  }
  return lower === 0 || capitalized >= 4 * lower;
}

/** Whether `before` ends a sentence or heading part, so the next word is capitalized whatever it is. */
function endsSentence(before: string): boolean {
  const trimmed = before.trimEnd();
  if (trimmed === '') return true;
  const last = trimmed.at(-1)!;
  if (':;!?"“”‘’\'([{—–|-'.includes(last)) return true;
  if (last !== '.') return false;
  // "Dr." "Sen." "U.S." and initials abbreviate; a period after any other word ends a sentence.
  const word = /(\S+)\.$/u.exec(trimmed)?.[1] ?? '';
  return !/^\p{Lu}\p{L}{0,3}$/u.test(word) && !word.includes('.');
}

/**
 * Whether a bare ambiguous hit is preceded by something that makes it another person: an honorific ("Dr. Krebs"), or
 * another given name ("Tom Krebs", "Jim Masterson"): a capitalized word that is not a title, a role or a day, not
 * capitalized only because it starts a sentence, in text that is not title-cased ("Trump Fires Krebs").
 */
export function namesSomeoneElse(
  text: string,
  hit: { start: number; end: number },
  /** Words of the entity's own phrases: an office it held ("Sandy Springs councilman") is no one else's honorific. */
  ownWords: ReadonlySet<string> = new Set(),
  /** The watchlist term hit: an acronym ("CISA") has no given name ("Trump CISA pick", "Noem CISA cuts"). */
  phrase = '',
): boolean {
  const before = tail(text, hit.start);
  const honorific = HONORIFIC_BEFORE.exec(before);
  // The entity's own office is neither an honorific nor, capitalized ("Former Sandy Springs Councilman"), a given name.
  if (honorific) return !ownWords.has(honorific[1]!.toLowerCase());
  if (ACRONYM.test(phrase)) return false;
  const word = CAPITALIZED_WORD_BEFORE.exec(before);
  if (!word) return false;
  const lower = word[1]!.toLowerCase();
  if (GIVEN_NAMES.has(lower)) return true;
  // A word of the entity's own news before its surname says whose it is ("the Trump Krebs order").
  return !NOT_GIVEN_NAMES.has(lower) && !ownWords.has(lower) && capitalizedAsName(text, hit, before, word);
}

/** A watchlist term in capitals and digits only: an acronym, not a surname. */
const ACRONYM = /^[\p{Lu}\p{N}&.]+$/u;

/**
 * Whether the capitalized word `word` found in `before` (the text just before the hit) is capitalized as a name: not
 * because it starts a sentence, and not in title-cased text.
 */
function capitalizedAsName(
  text: string,
  hit: { start: number; end: number },
  before: string,
  word: RegExpExecArray,
): boolean {
  const wordStart = hit.start - before.length + word.index + word[0].indexOf(word[1]!);
  if (endsSentence(tail(text, wordStart))) return false;
  // A headline is read whole; in long content, the text around the hit stands for it.
  const from = Math.max(0, wordStart - TITLE_CASE_RADIUS);
  const around = text.slice(from, Math.min(text.length, hit.end + TITLE_CASE_RADIUS));
  return !looksTitleCased(around, wordStart - from, hit.end - from);
}

/**
 * Capitalized words a surname modifies rather than starts ("Krebs Senate testimony", "Sterling Capitol briefing"): a
 * legislature, a party or a state body ("Raffensperger State Election Board") names no company or place called after
 * the person.
 */
const MODIFIED_AFTER = new Set(
  'senate capitol congress state republicans democrats administration campaign'.split(' '),
);
/** A capitalized word right after the hit, one run of spaces between ("Sterling Infrastructure", "Krebs Chevrolet"). */
const CAPITALIZED_WORD_AFTER = /^[ \u00a0]+(\p{Lu}\p{Ll}+)(?![\p{L}\p{N}])/u;
const UPPER = /\p{Lu}/u;
/** A watchlist term written as a capitalized word: a surname, not an acronym (programs follow those: "CISA Secure by Design"). */
const CAPITALIZED_NAME = /^\p{Lu}\p{Ll}+$/u;

/**
 * Whether a bare ambiguous hit is a word or another name's first part rather than the tracked name: written in lower
 * case where the watchlist capitalizes it, in a text that capitalizes anything ("a weaker sterling"); or a surname
 * followed by a capitalized word that is not a title or a day, outside title case: a company, place or other name
 * ("Sterling Infrastructure", "Masterson Station Park", "Krebs Auto Group").
 */
export function namesSomethingElse(
  text: string,
  hit: { start: number; end: number },
  phrase: string,
  /** Words of the entity's own phrases: after its surname they say what it did ("Krebs Senate testimony"). */
  ownWords: ReadonlySet<string> = new Set(),
): boolean {
  const first = text.charCodeAt(hit.start);
  const lower = first < 0x80 ? first >= 0x61 && first <= 0x7a : !UPPER.test(text.slice(hit.start, hit.end));
  if (lower && UPPER.test(phrase) && UPPER.test(text)) return true;
  // Most hits end at punctuation or before a lower-case word: no regex for them.
  const after = text.charCodeAt(hit.end);
  if ((after !== 0x20 && after !== 0xa0) || !CAPITALIZED_NAME.test(phrase)) return false;
  const next = CAPITALIZED_WORD_AFTER.exec(text.slice(hit.end, hit.end + LOOK_BEHIND));
  if (!next) return false;
  const following = next[1]!.toLowerCase();
  if (NOT_GIVEN_NAMES.has(following) || MODIFIED_AFTER.has(following) || ownWords.has(following)) return false;
  const wordEnd = hit.end + next[0].length;
  const from = Math.max(0, hit.start - TITLE_CASE_RADIUS);
  const around = text.slice(from, Math.min(text.length, wordEnd + TITLE_CASE_RADIUS));
  return !looksTitleCased(around, hit.start - from, wordEnd - from);
}

/**
 * Whether a one-word alias (a surname: "Raffensperger") names someone else: an honorific or a common given name
 * other than the tracked person's own before it ("Ohio wrestler Tom Raffensperger"), or another name part after it
 * outside title case ("Raffensperger Farms opens corn maze"). Any other capitalized word before it may be a title
 * ("Secretary of State Raffensperger"), so it says nothing here.
 */
export function aliasNamesSomeoneElse(
  text: string,
  hit: { start: number; end: number },
  phrase: string,
  ownNames: ReadonlySet<string>,
  ownWords: ReadonlySet<string> = new Set(),
): boolean {
  const before = tail(text, hit.start);
  if (HONORIFIC_BEFORE.test(before)) return true;
  const word = CAPITALIZED_WORD_BEFORE.exec(before);
  const given = word?.[1]?.toLowerCase();
  if (word && given !== undefined && !ownNames.has(given)) {
    if (GIVEN_NAMES.has(given)) return true;
    if (WORD_GIVEN_NAMES.has(given) && capitalizedAsName(text, hit, before, word)) return true;
  }
  // Only its name-part rule: an alias in lower case ("raffensperger") is still the alias.
  return UPPER.test(text.charAt(hit.start)) && namesSomethingElse(text, hit, phrase, ownWords);
}

/**
 * Nouns after a surname that name a family business: "Masterson ranch", "Raffensperger farm". Not "family": threats
 * against an official's family are news about the official ("Krebs family receives death threats").
 */
const HOUSEHOLD_AFTER = /^[ \u00a0]+(?:ranch|ranches|farm|farms|dairy|homestead)(?![\p{L}\p{N}])/iu;

/**
 * Whether a bare surname is followed by a family-business noun ("Masterson ranch fire"): a business, not the
 * person. Weaker than the rules above: a context phrase still decides; only the profile may not admit it.
 */
export function namesHousehold(text: string, hit: { end: number }): boolean {
  return HOUSEHOLD_AFTER.test(text.slice(hit.end, hit.end + 16));
}

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
  ).split(' '),
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
  'state rep',
  'state representative',
  'state senator',
  'state sen',
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
    // "tells reporter Raffensperger is ...": the occupation is the verb's object, the name a clause's subject.
    if (
      OCCUPATIONS.has(word) &&
      !SPEECH_VERBS.has(wordsOf(text.slice(Math.max(0, wordStart - 16), wordStart)).at(-1) ?? '')
    ) {
      found = word;
    } else if (PHRASE_ENDS.has(word))
      found = occupationEnding(wordsOf(text.slice(Math.max(0, wordStart - 40), wordEnd)));
  }
  const link = found === undefined ? occupationLink(text, hit.end) : 0;
  if (link > 0) {
    const phrase = text.slice(hit.end + link, hit.end + 72).split(/[,;:!?()"\u201c\u201d]/u)[0]!;
    const words = wordsOf(phrase);
    // The occupation heads the phrase: "principal architect of ..." is no school principal.
    for (let end = 1; end <= Math.min(5, words.length) && found === undefined; end++) {
      const next = words[end];
      if (next === undefined || AFTER_OCCUPATION.has(next)) found = occupationEnding(words.slice(0, end));
    }
    // Capitalized in a sentence-case headline it is an honour's name: "named Defender of Democracy".
    if (found !== undefined && honourName(text, phrase, found)) found = undefined;
  }
  return found === undefined || own.jobs.has(found) ? undefined : found;
}
