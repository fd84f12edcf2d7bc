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
/** Honorifics that are also verbs: in lower case they are the verb ("History will judge Krebs", "officials miss CISA"). */
const VERB_HONORIFICS = new Set(['miss', 'judge', 'coach']);
/** A modal or "to" right before: what follows is a verb ("Will Miss", "to Judge"). */
const MODAL_BEFORE =
  /(?:^|[^\p{L}])(?:will|would|could|can|may|might|should|must|shall|to|not|never|won't|don't|didn't)[ \t\u00a0]+$/iu;

/**
 * An honorific before a name; one that is also a verb only when capitalized ("Judge Sterling", "Miss Krebs"). Not a
 * nickname in quotes, which the person is given ("'Coach Raffensperger' mentors robotics team").
 */
function honorificBefore(before: string, after = ''): RegExpExecArray | null {
  const found = HONORIFIC_BEFORE.exec(before);
  if (!found) return null;
  const ahead = before.slice(0, found.index + found[0].indexOf(found[1]!));
  // A verb in lower case, or after a modal in Title Case: "Georgia Will Miss Sterling".
  const verb =
    VERB_HONORIFICS.has(found[1]!.toLowerCase()) && (!/^\p{Lu}/u.test(found[1]!) || MODAL_BEFORE.test(ahead));
  if (verb) return null;
  const nickname = found[1]!.toLowerCase() === 'coach' && /['"\u2018\u201c]$/u.test(ahead);
  return nickname && /^['"\u2019\u201d]/u.test(after) ? null : found;
}

/** A capitalized word (one capital, then small letters) right before the hit, one run of spaces between. */
const CAPITALIZED_WORD_BEFORE = /(?:^|[\s"\u201c\u2018([])(\p{Lu}\p{Ll}+)[ \t\u00a0]+$/u;
/** A time before a headline's preposition: "A year after", "Two weeks before", "Days after", "Back at". */
const TIME_LEAD =
  '(?:A|An|One|Two|Three|Days|Weeks|Months|Years|Hours|Back|Shortly|Soon|Right|Just|Even)' +
  '(?:[ \\t\\u00a0]+(?:year|years|day|days|week|weeks|month|months|hour|hours))?[ \\t\\u00a0]+';
const SPACE = '[ \\t\\u00a0]+';
/** A headline's opening preposition and the capitalized place, body or time it names, right before the surname. */
const OPENING_PLACE = new RegExp(
  `^(?:${TIME_LEAD}(?:on|at|in|inside|from|after|before|since|until|during|amid)|On|At|In|Inside|From|After|Across|` +
    `Amid|By|Before|Despite|Since|Until|During)${SPACE}(?:\\p{Lu}[\\p{L}'\\u2019.&-]*${SPACE}){1,3}$|` +
    `^(?:Last|This|Next|Early|Late)${SPACE}\\p{Lu}\\p{Ll}+${SPACE}$`,
  'u',
);
/** ...of which a given name can only be a town ("In Austin", "From Madison") or a storm ("Days after Helene"), not "At Tom". */
const OPENING_TOWN = new RegExp(
  `^(?:${TIME_LEAD}(?:after|before|since|until|during|amid)|In|Inside|From|Across|After|Despite|Since|Before|During|` +
    `Amid)${SPACE}\\p{Lu}\\p{Ll}+${SPACE}$`,
  'u',
);
/** Whether the text before a hit is all of it and an opening place or time ("In Austin ", "A year after Helene "). */
const opensWith = (before: string, hit: { start: number }, pattern: RegExp) =>
  before.length === hit.start && OPENING_PLACE.test(before) && pattern.test(before);
/** A people's name after "fellow", "proud", "native" or a region, right before the surname. */
const DEMONYM_BEFORE =
  /(?:^|[^\p{L}])(?:fellow|proud|native|lifelong|northern|southern|western|eastern|central)[ \t\u00a0]+\p{Lu}\p{Ll}+(?:ian|ean|an|ite|er)[ \t\u00a0]+$/iu;
/**
 * Capitalized words that can stand right before a tracked person's surname without being a given name: titles and
 * roles ("Director Krebs", "Adviser Masterson"), and days ("On Tuesday Krebs said").
 */
const NOT_GIVEN_NAMES = new Set(
  (
    'mr mister sir director chief head secretary official officials adviser advisor manager officer cofounder founder ' +
    'partner fellow deputy acting former ex commissioner chairman chair agency senator sen representative rep czar ' +
    'undersecretary team ' +
    'governor gov president vice monday tuesday wednesday thursday friday saturday sunday today yesterday tonight ' +
    // A party, a home state's people or an event before the surname says who they are ("Georgia Republican Sterling").
    'republican republicans democrat democrats democratic gop conservative liberal georgian american conference summit ' +
    // A headline's verb in Title Case ("Trump Attacks Krebs amid Feud"): what someone does to the person.
    'attacks attack blasts blast slams slam rips praises praise thanks thank defends defend backs sues fires hires taps ' +
    'accuses accuse blames blame targets target mocks mock ousts picks names'
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
    'molly paige allison alyssa brooke ' +
    // Short forms: "Kim Sterling named Georgia Power's security chief", "Jeff Krebs named Iowa's cyber chief".
    'kim rick greg jeff ken ron tim jon alex ben sam josh jake zach nate pete ted andy kirk kurt phil doug jimmy ' +
    'tommy kathy cathy pam deb jen liz meg peggy patty becky cindy vicki tammy kris lori terri jodi jackie connie greta'
  ).split(' '),
);
/**
 * Given names that are also common words ("Mark", "Will", "Grant"): another person only in the middle of a sentence
 * outside Title Case, where nothing else capitalizes them ("names Mark Raffensperger chief information officer").
 */
const WORD_GIVEN_NAMES = new Set(
  (
    'mark will grant dean chase hunter mason rose june hope faith bill art pat don ray guy drew gene wade lance rich nick ' +
    'randy tony sherry bonnie'
  ).split(' '),
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
export function looksTitleCased(text: string, skipFrom: number, skipTo: number): boolean {
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
  const honorific = honorificBefore(before, text.slice(hit.end, hit.end + 1));
  // The entity's own office is neither an honorific nor, capitalized ("Former Sandy Springs Councilman"), a given name.
  if (honorific) return !ownWords.has(honorific[1]!.toLowerCase());
  if (ACRONYM.test(phrase)) return false;
  const word = CAPITALIZED_WORD_BEFORE.exec(before);
  if (!word) return false;
  const lower = word[1]!.toLowerCase();
  // An opening place, employer or time without its comma, a given name's town too: "On Capitol Hill Krebs finds few
  // defenders", "In Austin Krebs tells SXSW crowd", "A year after Helene Masterson says", "Last November Krebs called".
  // Where someone is from, said of the person: "fellow Virginian Krebs", "Proud Cincinnatian Masterson".
  if (DEMONYM_BEFORE.test(before)) return false;
  if (GIVEN_NAMES.has(lower)) return !opensWith(before, hit, OPENING_TOWN);
  if (opensWith(before, hit, OPENING_PLACE)) return false;
  // A show or another person before the surname and what the person did there: "Face the Nation Masterson
  // interview", "the Musk Krebs feud", "The Peters Masterson testimony"; not after a walk of life ("actress Mindy").
  if (DEED_AFTER.test(text.slice(hit.end, hit.end + LOOK_BEHIND))) {
    const introducedBy = LOWER_WORD_BEFORE.exec(before.slice(0, word.index + word[0].indexOf(word[1]!)))?.[1];
    if (!introducedBy || NAME_LEADS.has(introducedBy.toLowerCase())) return false;
  }
  // A word of the entity's own news before its surname says whose it is ("the Trump Krebs order").
  return !NOT_GIVEN_NAMES.has(lower) && !ownWords.has(lower) && capitalizedAsName(text, hit, before, word);
}

/**
 * A relative named in full: "wife Sarah Masterson", "daughter Emily Sterling", and a few words between, a list or
 * what the relative is ("sons Jack and Luke Krebs", "dad, retired Navy pilot Gary Krebs", "daughter, 12-year-old Emily").
 */
const KIN =
  'wife husband sons? daughters? father mother brothers? sisters? mom dad parents spouse widow kids children twins ' +
  'grandsons? granddaughters? grandmother grandfather grandma grandpa grandchildren niece nephew cousin aunt uncle ' +
  'stepson stepdaughter fiancee fiance';
const RELATIVE_BEFORE = new RegExp(
  `(?:^|[^\\p{L}])(?:${KIN.split(' ').join('|')}),?(?:[ \\t\\u00a0]+[\\p{L}\\p{N}'\\u2019-]+){0,3}[ \\t\\u00a0]+\\p{Lu}\\p{Ll}+[ \\t\\u00a0]+$`,
  'u',
);

/**
 * Whether a surname hit is a relative of the person named in full ("Masterson and wife Sarah Masterson"): someone
 * else by that name, who makes the bare surname elsewhere in the text no one else's.
 */
export function namesRelative(text: string, hit: { start: number }): boolean {
  return RELATIVE_BEFORE.test(tail(text, hit.start));
}

/** A watchlist term in capitals and digits only: an acronym, not a surname. */
export const ACRONYM = /^[\p{Lu}\p{N}&.]+$/u;

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
/** Months and their abbreviations: before a day's number they date the news, no name part. */
const MONTHS = new Set(
  'jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august september october november december'.split(
    ' ',
  ),
);
/** What a person did, said or went through: no company or place name ends with one. */
const DEEDS = (
  'interview interviews appearance testimony deposition feud rift spat clash alliance remarks speech ' +
  'keynote op-ed memo'
).split(' ');
/** Other nouns of what a person does somewhere, after a name ("Raffensperger Lyft deal"). */
const ATTRIBUTIVE_NOUNS = [
  ...(
    'talk visit essay message comments exit fundraiser debate tweet tweets podcast memoir call snub trip ' +
    'rally endorsement update deal card week lecture seminar panel documentary address lawsuit suit ' +
    'report hearing fellowship stop homecoming departure years primary win loss warning fight subpoena ' +
    'probe ruling order letter ad pick nomination race campaign victory defeat tenure legacy era'
  ).split(' '),
  'town hall',
];
/**
 * After the capitalized word following a surname (and at most two more): what a person does or says somewhere, which
 * no company or place name ends with ("Raffensperger Emory speech", "Krebs Black
 * Hat keynote", "Raffensperger Kemp rift").
 */
const ATTRIBUTIVE_AFTER = new RegExp(
  `^(?:[ \\u00a0]+\\p{Lu}\\p{Ll}+){0,2}(?:[ \\u00a0]+\\p{Ll}+)?[ \\u00a0]+(?:${[...DEEDS, ...ATTRIBUTIVE_NOUNS].join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);
/**
 * Right after the surname (a lower-case word between at most, another surname before it): what the person did or
 * said, or went through with someone: no given name's bearer is introduced by one ("Masterson interview", "Krebs
 * feud", "Sterling appearance", "Krebs, Masterson reunion").
 */
const DEED_AFTER = new RegExp(
  `^(?:(?:,|[ \\u00a0]+and)[ \\u00a0]+\\p{Lu}\\p{Ll}+)?[ \\u00a0]+(?:\\p{Ll}+[ \\u00a0]+)?(?:${[...DEEDS, 'segment', 'episode', 'reunion'].join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);
/** A lower-case word (and its spaces) at the end of a text. */
const LOWER_WORD_BEFORE = /(?:^|[^\p{L}])(\p{Ll}[\p{L}'\u2019-]*)[ \t\u00a0]+$/u;
/** Lower-case words a show's or a person's name may follow ("the Musk Krebs feud"); any other is a walk of life. */
const NAME_LEADS = new Set(['the', 'a', 'an', 'this', 'that', 'inside', 'behind', 'on', 'in', 'after', 'amid', 'from']);
/** A capitalized word right after the hit, one run of spaces between ("Sterling Infrastructure", "Krebs Chevrolet"). */
const CAPITALIZED_WORD_AFTER = /^[ \u00a0]+(\p{Lu}\p{Ll}+)(?![\p{L}\p{N}])/u;
const UPPER = /\p{Lu}/u;
const POSSESSIVE = /^['\u2019]s(?![\p{L}\p{N}])/u;
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
  // A possessive is a noun of its own, no name part: "Is Raffensperger Georgia's best hope?", "Masterson Microsoft's loss".
  if (POSSESSIVE.test(text.slice(wordEnd, wordEnd + 3))) return false;
  // The surname modifies what follows: "Krebs Netflix interview", "Raffensperger Kemp rift".
  if (ATTRIBUTIVE_AFTER.test(text.slice(wordEnd, wordEnd + LOOK_BEHIND))) return false;
  // A date: "Sterling Jan. 6 deposition released".
  if (MONTHS.has(following) && /^\.?[ \u00a0]*\d/u.test(text.slice(wordEnd, wordEnd + 4))) return false;
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
  if (honorificBefore(before, text.slice(hit.end, hit.end + 1))) return true;
  const word = CAPITALIZED_WORD_BEFORE.exec(before);
  const given = word?.[1]?.toLowerCase();
  // An opening place or time without its comma: "In Douglas Raffensperger faces angry crowd".
  const opening = opensWith(before, hit, OPENING_TOWN);
  if (word && given !== undefined && !ownNames.has(given) && !opening) {
    if (GIVEN_NAMES.has(given)) return true;
    // A month after a preposition dates the news: "Starting in June Raffensperger's office will purge ...".
    const dated =
      MONTHS.has(given) &&
      /\b(?:in|by|since|until|from|early|late|mid|last|this|next)[ \t\u00a0]+\S+[ \t\u00a0]+$/iu.test(before);
    if (WORD_GIVEN_NAMES.has(given) && !dated && capitalizedAsName(text, hit, before, word)) return true;
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
