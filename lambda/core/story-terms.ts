// Story terms: what an item says, as folded, stemmed, synonym-folded words without stop-words and news filler.
import { chambers, counties, courts, headlineNumbers, negated, repeatMarkers, stance } from './story-markers';
import { ACT_TERMS, phrasalActs, STOP_WORDS, stem, storyTerms, termOf } from './story-words';
import { foldedWords as words } from './text-fold';

/** Summary terms kept after the title's: the lead says what happened, later sentences repeat background. */
const MAX_SUMMARY_TERMS = 24;

export interface StoryText {
  title: string;
  summary?: string;
  /** Publisher name, so a Google News " - Publisher" tail is not read as words of the story. */
  publisher?: string;
}

/** What an item says, reduced to sorted, unique normalized terms (stop-words dropped, stemmed, synonyms folded). */
export interface StorySignature {
  title: string[];
  /** Title terms plus the lead of the summary. */
  terms: string[];
  /**
   * Acts the headline names only to say who the person is ("fired CISA chief Krebs joins Stanford"): background, not
   * its news. Absent when none (and on rows written before it was kept).
   */
  epithets?: string[];
  /**
   * Headline terms only in a trailing clause that says why or how ("... for debunking election conspiracy theories",
   * "... who disputed fraud claims", "... after Krebs firing"): background, not the act. Absent when none.
   */
  clause?: string[];
  /**
   * What a reaction headline reacts to: its terms after a reaction verb, without quoted words ("Democrats condemn Trump's
   * 'pathetic' firing of Krebs" -> trump, fire, kreb). Absent when the headline is no reaction.
   */
  reaction?: string[];
  /**
   * Acts a headline reports as said rather than done: named after a speech verb that follows its subject ("Masterson
   * tells House panel audits and recounts **confirmed** the vote"): a recap of earlier events, not its news. Absent when none.
   */
  said?: string[];
  /**
   * Terms the item (headline and summary) names only as planned, right after "to" or "will" ("Raffensperger, Sterling
   * to testify at Jan. 6 hearing"): the act has not happened yet. Absent when none.
   */
  planned?: string[];
  /**
   * Terms of the words the headline capitalizes inside a sentence (Dominion, ImageCast, Arizona): what it is about.
   * Absent when none, and when the headline capitalizes most words (Title Case tells nothing).
   */
  names?: string[];
  /** Repeat markers of the headline ("second", "again", "more"): story-markers.ts. Absent when none. */
  repeats?: string[];
  /** Legislative chambers the headline names ("house", "senate"). Absent when none. */
  chambers?: string[];
  /** Courts the headline names by level or place ("federal court", "fulton court"). Absent when none. */
  courts?: string[];
  /** Counties the headline names ("fulton", "cochise"). Absent when none. */
  counties?: string[];
  /** The numbers the headline names ("3", "1300"). Absent when none. */
  numbers?: string[];
  /** For or against whom a decision goes, with the next word ("against jena"). Absent when none. */
  stance?: string;
  /** Whether the headline denies or negates what it names ("not breached", "denies report"). Absent when not. */
  negated?: true;
  /** Who does the headline's first act: "Fontes sues Cochise County" -> sue by fontes. */
  roles?: ActRoles;
  /** The outlet that ran it (publisher or feed name, folded). Absent when unknown, and on rows written before it. */
  outlet?: string;
}

/** Separators before a Google News title's outlet. */
const TAIL_SEPARATORS = [' - ', ' \u2013 ', ' \u2014 ', ' | '];
/** Words of an outlet's name that say which outlet it is ("record" of "The Record by Recorded Future"). */
const outletWords = (name: string) =>
  new Set(words(name).filter((word) => word.length >= 3 && !['the', 'news', 'com', 'and'].includes(word)));

/**
 * A title's trailing " - Tail" naming its outlet otherwise than its feed does ("- Nextgov/FCW" from "Nextgov",
 * "- 11Alive.com" from "11Alive"): at most six words, none in lower case but short ones ("by"), one of them a word of
 * the outlet's name. "- record turnout confirmed" from The Record is the headline's own text. Found by position, not
 * by a regex that could backtrack over a long tail.
 */
function outletTailStart(title: string, publisher: string): number | undefined {
  const at = Math.max(...TAIL_SEPARATORS.map((separator) => title.lastIndexOf(separator)));
  if (at <= 0) return undefined;
  const tail = title
    .slice(at + 3)
    .trim()
    .split(/\s+/u);
  if (tail.length === 0 || tail.length > 6) return undefined;
  if (tail.some((word) => word.length > 3 && /^\p{Ll}/u.test(word))) return undefined;
  const outlet = outletWords(publisher);
  return words(tail.join(' ')).some((word) => outlet.has(word)) ? at : undefined;
}

/**
 * Drops a trailing " - Publisher" (Google News titles) or "... Publisher" (Google News summaries), and from a title a
 * tail that names the outlet otherwise (outletTailStart).
 */
function withoutPublisher(text: string, publisher: string | undefined, isTitle = false): string {
  const trimmed = text.trim();
  if (!publisher) return trimmed;
  const name = publisher.trim();
  if (name === '') return trimmed;
  if (!trimmed.toLowerCase().endsWith(name.toLowerCase())) {
    const tail = isTitle ? outletTailStart(trimmed, name) : undefined;
    return tail === undefined ? trimmed : trimmed.slice(0, tail).trim();
  }
  return trimmed
    .slice(0, trimmed.length - name.length)
    .replace(/[\s\-\u2013\u2014|:]+$/u, '')
    .trim();
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Firing participles that, before a role or a name, say who a person is ("fired CISA chief Krebs"). */
const EPITHET_PARTICIPLES = new Set('fired ousted sacked dismissed terminated axed removed'.split(' '));
/** Words after which such a participle is an epithet: an article, a preposition, a verb taking the person as object. */
const BEFORE_EPITHET = new Set(
  'the a an by with against of for to from says hires taps names signs sues welcomes honors praises backs'.split(' '),
);
/** Words after which it is the act itself: "Krebs fired by Trump", "fired as director", "fired after ...". */
const AFTER_ACT = new Set('by as for over after from in on at amid to following because and or but'.split(' '));

/**
 * Acts a headline names as an epithet of the person: a firing participle at the start of a clause, or after an article,
 * a preposition or a verb, and followed by more words ("Stanford hires fired cybersecurity chief Krebs", "Christopher
 * Krebs: Sacked US election security chief loses clearance"). "Trump fired Krebs" and "Krebs fired by Trump" are acts.
 */
export function epithetActs(title: string): string[] {
  const acts: string[] = [];
  for (const clause of title.split(/[:;|\u2013\u2014]|\s-\s/u)) {
    const clauseWords = words(clause);
    clauseWords.forEach((word, index) => {
      if (!EPITHET_PARTICIPLES.has(word)) return;
      const next = clauseWords[index + 1];
      const previous = clauseWords[index - 1];
      if (next === undefined || AFTER_ACT.has(next)) return;
      if (previous === undefined || BEFORE_EPITHET.has(previous)) acts.push(...storyTerms(word));
    });
  }
  return sortedUnique(acts);
}

/** Words that open a trailing clause of reasons or circumstances in a headline. */
const CLAUSE_OPENERS = new Set('for over after amid following because who as'.split(' '));
/** Verbs whose "for" names what is asked, not why: "asks for recount in Milwaukee" is the act itself. */
const ASKING_VERBS = new Set(
  'ask asks asked call calls called push pushes pushed file files filed petition petitions'.split(' '),
);

/** Where a headline's parts break: a colon, a semicolon, a comma, a dash, a bar (a Google News tail included). */
const HEADLINE_BREAK = /[,:;|\u2013\u2014]|\s-\s/u;

/**
 * Headline terms said only in a trailing clause of its last part ("Trump fires Krebs | for debunking conspiracy
 * theories"). A clause followed by more parts ("Trump fired me for saying this, but I'm saying it again: ...") is no
 * trailing clause: what follows may be the news.
 */
export function trailingClauseTerms(headline: string): string[] {
  const parts = headline.split(HEADLINE_BREAK);
  const lastWords = words(parts[parts.length - 1] ?? '');
  const before = words(parts.slice(0, -1).join(' '));
  // Two words at least before it: "After firing, Krebs speaks" opens with its circumstances, not its act.
  const at = lastWords.findIndex(
    (word, index) =>
      before.length + index >= 2 &&
      CLAUSE_OPENERS.has(word) &&
      !(
        word === 'for' &&
        (ASKING_VERBS.has(lastWords[index - 1] ?? '') ||
          forNamesWhom(headline, lastWords[index + 1]) ||
          !forGivesReason(lastWords[index + 1]))
      ),
  );
  if (at < 0) return [];
  const main = new Set(storyTerms([...before, ...lastWords.slice(0, at)].join(' ')));
  const clause = storyTerms(lastWords.slice(at).join(' '));
  // A "clause" holding the headline's only act is its predicate: "Hobbs nominee for water department rejected by
  // Senate panel" is about the rejection, not a nominee for a reason.
  if (![...main].some((term) => ACT_TERMS.has(term)) && clause.some((term) => ACT_TERMS.has(term))) return [];
  return sortedUnique(clause.filter((term) => !main.has(term)));
}

/**
 * Whether "for" before `next` names for whom or with whom (a capitalized name outside Title Case: "to write a book for
 * Simon & Schuster", "signs for Arsenal"), which is the act's object, not a reason ("for debunking", "for saying").
 */
/** "for" gives a reason before a gerund or a possessive ("for debunking", "for his remarks"), not an object. */
const forGivesReason = (next: string | undefined) =>
  next !== undefined && (/ing$/u.test(next) || /^(his|her|their|its|not)$/u.test(next));

function forNamesWhom(headline: string, next: string | undefined): boolean {
  if (next === undefined || titleCased(headline)) return false;
  for (const [, word] of headline.matchAll(/\bfor\s+([\p{L}\p{N}]+)/giu)) {
    if (words(word!)[0] === next && /^\p{Lu}/u.test(word!)) return true;
  }
  return false;
}

/** Verbs of a reaction to news (as stems): who reacts comes before them, what they react to after. */
const REACTION_VERBS = new Set(
  'condemn blast slam criticiz criticis decry decri denounc rip assail lament react respond prais hail'.split(' '),
);
/** Verbs of an attack on someone (as stems), whose doer and target a headline can swap. */
const ATTACKS = new Set(['attack', 'accus']);
/** A quoted word or phrase: the reactor's characterization ('pathetic'), not what happened. */
const QUOTED = /(^|[\s([])['\u2018"\u201c][^'\u2019"\u201d]*['\u2019"\u201d](?=$|[\s,.;:!?)\]])/gu;

/** The terms a reaction headline reacts to, or [] when its main clause has no reaction verb after a subject. */
export function reactionTerms(headline: string): string[] {
  const headlineWords = words(headline.replace(QUOTED, '$1 '));
  const end = headlineWords.findIndex((word, index) => index >= 2 && CLAUSE_OPENERS.has(word));
  const main = end < 0 ? headlineWords : headlineWords.slice(0, end);
  const verb = main.findIndex((word, index) => index >= 1 && REACTION_VERBS.has(stem(word)));
  return verb < 0 ? [] : sortedUnique(storyTerms(main.slice(verb + 1).join(' ')));
}

/** Verbs of speech: what follows them in a headline is what someone said, not what happened. */
const SPEECH_VERBS = new Set('tell tells told'.split(' '));

/** Words that put the acts right after them in the future, the conditional or the negative: not done (yet). */
const NOT_YET_WORDS = new Set(
  'will would may might could should must can cant cannot wont wouldnt shall not never unlikely likely whether if'.split(
    ' ',
  ),
);
/**
 * Stems of verbs after which an act is weighed, threatened or denied: "weighs firing", "threatens veto". Verbs that ask
 * for an act take "to" ("urges Trump to fire"), read as such; alone they may stand before the act done ("Under
 * pressure, Hobbs signs budget").
 */
const NOT_YET_VERBS = new Set(
  'weigh mull consider eye threaten vow plan pois hint signal deny refus rumor verg fail'.split(' '),
);
/** Words that, after an act, say it is still to come: "veto expected", "testimony set for Tuesday", "firing would be". */
const NOT_YET_AFTER = new Set(
  'expected looms looming threat threatened set scheduled planned pending possible likely decision vote would could might'.split(
    ' ',
  ),
);
/** How many words before an act such a word still governs it ("will not resign", "may soon be fired"); one more after. */
const NOT_YET_REACH = 3;

/**
 * Terms `text` names only as not yet done: after "to" ("to testify Tuesday", "asks Krebs to testify"), a modal or a
 * negation ("may fire", "will not resign", "Will Krebs testify?"), a verb that weighs, threatens or denies it ("weighs
 * firing", "denies report Trump fired"), or before a word that says it is to come ("veto expected", "testimony set for
 * Tuesday"). The act has not happened, so the item reporting it done is another development. A question asked of a
 * done act ("Why did Trump fire Krebs?") is done. Named done anywhere else in the text, it is not only planned. Phrasal
 * acts are read first.
 */
export function plannedTerms(text: string): string[] {
  const planned = new Set<string>();
  const done = new Set<string>();
  for (const [part] of phrasalActs(text).matchAll(/[^.,:;!?|\u2013\u2014]+[.,:;!?|\u2013\u2014]?/gu)) {
    const partWords = words(part);
    partWords.forEach((word, index) => {
      if (STOP_WORDS.has(word)) return;
      const before = partWords.slice(Math.max(0, index - NOT_YET_REACH), index);
      const after = partWords.slice(index + 1, index + 2 + NOT_YET_REACH);
      const notYet =
        before.slice(-2).includes('to') ||
        before.some((previous) => NOT_YET_WORDS.has(previous) || NOT_YET_VERBS.has(stem(previous))) ||
        after.some((next) => NOT_YET_AFTER.has(next));
      (notYet ? planned : done).add(termOf(word));
    });
  }
  return sortedUnique([...planned].filter((term) => !done.has(term)));
}

/**
 * Terms a headline reports as said: after a speech verb that follows a subject in the same part, with two words at
 * least after it ("Masterson tells House panel audits confirmed the vote"). A trailing attribution ("..., Masterson
 * says") says nothing after the verb, so names none.
 */
export function saidTerms(headline: string): string[] {
  const said: string[] = [];
  for (const part of headline.split(HEADLINE_BREAK)) {
    const partWords = words(part);
    const verb = partWords.findIndex((word, index) => index >= 1 && SPEECH_VERBS.has(word));
    if (verb >= 0 && partWords.length - verb > 2) said.push(...storyTerms(partWords.slice(verb + 1).join(' ')));
  }
  return sortedUnique(said);
}

/** Share of a headline's longer words capitalized above which it is in Title Case. */
const TITLE_CASE_SHARE = 0.6;

const headlineParts = (headline: string) =>
  headline.split(HEADLINE_BREAK).map((part) => part.split(/[^\p{L}\p{N}&'\u2019]+/u).filter((w) => w.length > 0));

/** Longer words Title Case leaves in lower case. */
const TITLE_CASE_MINOR = new Set('with from into onto over upon than that this about after amid'.split(' '));

/**
 * Whether a headline is in Title Case, so capitals say nothing about names: most of its longer words capitalized, and
 * none of them in lower case but the few Title Case leaves so ("Raffensperger to write 'Integrity Counts' for Simon &
 * Schuster" capitalizes names, not words).
 */
function titleCased(headline: string): boolean {
  const longer = headlineParts(headline)
    .flat()
    .filter((word) => word.length > 3);
  const upper = longer.filter((word) => /^\p{Lu}/u.test(word)).length;
  const lowerWords = longer.filter((word) => !/^\p{Lu}/u.test(word) && !TITLE_CASE_MINOR.has(word.toLowerCase()));
  return longer.length === 0 || (upper / longer.length > TITLE_CASE_SHARE && lowerWords.length === 0);
}

/** Acronyms of common things, capitalized wherever they stand: "a TV interview" names no one. */
const GENERIC_CAPITALS = new Set('tv us uk eu ai ceo gop vpn pc'.split(' '));

/**
 * Terms of the words a headline capitalizes, outside Title Case: proper names. A part's first word is capitalized
 * anyway, but it is mostly who acts ("Kemp calls for audit ..."); a common one weighs too little to count as a name.
 */
export function headlineNames(headline: string): string[] {
  if (titleCased(headline)) return [];
  const names = headlineParts(headline).flatMap((partWords) =>
    partWords.filter((word) => /^\p{Lu}/u.test(word) && !GENERIC_CAPITALS.has(word.toLowerCase())),
  );
  return sortedUnique(storyTerms(names.join(' ')));
}

/**
 * An item's terms alone (`storySignature(item).terms`), without reading its headline's parts: what the term table
 * counts for every item read, matching or not.
 */
export function signatureTerms(item: StoryText): string[] {
  return sortedUnique([
    ...storyTerms(withoutPublisher(item.title, item.publisher, true)),
    ...summaryTerms(leadOf(item)),
  ]);
}

/** Whom the act is done to is the rest of the headline's terms, so a stored signature carries only the doer. */
export interface ActRoles {
  act: string;
  /** Terms before the act (after it in the passive: "subpoenaed by the Assembly"). */
  agent: string[];
}

/** A passive act: "Jacobs subpoenaed by Wisconsin Assembly", "Fontes sued by county supervisors". */
const PASSIVE = /\b\p{L}+(?:ed|en|wn)\s+by\b/iu;

/**
 * Who does the headline's first act and to whom, by where its terms stand: "Cochise County supervisors sue Adrian
 * Fontes" is not "Adrian Fontes sues Cochise County supervisors", though both have the same words.
 */
function actRoles(headline: string, title: readonly string[]): ActRoles | undefined {
  // A reaction or an attack has a doer too: "Raffensperger slams Trump" is not "Trump slams Raffensperger".
  const at = title.findIndex((term) => ACT_TERMS.has(term) || REACTION_VERBS.has(term) || ATTACKS.has(term));
  if (at <= 0 || at === title.length - 1) return undefined;
  const agent = PASSIVE.test(headline) ? title.slice(at + 1) : title.slice(0, at);
  return { act: title[at]!, agent: [...new Set(agent)].sort() };
}

/** The summary without a Google News "... Publisher" ending: the lead its terms are read from. */
const leadOf = (item: StoryText) => withoutPublisher(item.summary ?? '', item.publisher);
const summaryTerms = (lead: string) => storyTerms(lead, MAX_SUMMARY_TERMS);

export function storySignature(item: StoryText): StorySignature {
  const headline = withoutPublisher(item.title, item.publisher, true);
  const title = storyTerms(headline);
  const lead = leadOf(item);
  const summary = summaryTerms(lead);
  const epithets = epithetActs(headline);
  const clause = trailingClauseTerms(headline);
  const reaction = reactionTerms(headline);
  const names = headlineNames(headline);
  const said = saidTerms(headline);
  const planned = plannedTerms(`${headline}. ${lead}`);
  const repeats = repeatMarkers(headline);
  const houses = chambers(headline);
  const titleCase = titleCased(headline);
  const benches = courts(headline, titleCase);
  const shires = counties(headline, titleCase);
  const numbers = headlineNumbers(headline);
  const roles = actRoles(headline, title);
  const side = stance(headline);
  return {
    title: sortedUnique(title),
    terms: sortedUnique([...title, ...summary]),
    ...(epithets.length > 0 ? { epithets } : {}),
    ...(clause.length > 0 ? { clause } : {}),
    ...(reaction.length > 0 ? { reaction } : {}),
    ...(names.length > 0 ? { names } : {}),
    ...(said.length > 0 ? { said } : {}),
    ...(planned.length > 0 ? { planned } : {}),
    ...(repeats.length > 0 ? { repeats } : {}),
    ...(houses.length > 0 ? { chambers: houses } : {}),
    ...(benches.length > 0 ? { courts: benches } : {}),
    ...(shires.length > 0 ? { counties: shires } : {}),
    ...(numbers.length > 0 ? { numbers } : {}),
    ...(negated(headline) ? { negated: true as const } : {}),
    ...(side ? { stance: side } : {}),
    ...(roles ? { roles } : {}),
    ...(item.publisher?.trim() ? { outlet: item.publisher.trim().toLowerCase() } : {}),
  };
}
