// Story terms: what an item says, as folded, stemmed, synonym-folded words without stop-words and news filler.

import {
  epithetActs,
  formalReactors,
  headlineParts,
  isReaction,
  leadAsides,
  type Mood,
  mood,
  participleActs,
  plannedTerms,
  reactionTerms,
  SENTENCE_BREAK,
  saidTerms,
  titleCased,
  trailingClauseTerms,
} from './story-clauses';
import {
  chambers,
  counties,
  courts,
  direction,
  headlineNumbers,
  negated,
  repeatMarkers,
  stance,
} from './story-markers';
import { namePairs } from './story-order';
import { ACT_TERMS, sortedUnique, storyTerms } from './story-words';
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
  /** A body or paper named before a reaction verb ("inspector", "report"): its reaction is an act. Absent when none. */
  reactors?: string[];
  /**
   * Terms the lead names only in sentences about what is to come or did not happen ("Masterson is expected to be pushed
   * out too"): the story did not tell them as done. Absent when none.
   */
  ahead?: string[];
  /** Terms the lead names only in sentences about another matter ("also", "earlier"). Absent when none. */
  aside?: string[];
  /** Whether the headline's act is only weighed ("weighs firing"), decided ("to fire") or refused ("won't"). */
  mood?: Mood;
  /** Who the headline quotes ("Kari Lake: Stephen Richer lied ..."). Absent when none. */
  speaker?: string[];
  /** Acts the headline names by a past participle ("reinstates fired workers"). Absent when none. */
  participles?: string[];
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
  /** Names on either side of the same words ("trump|ballots in|biden"): story-order.ts. Absent when none. */
  pairs?: string[];
  /**
   * The headline's terms in order, each as its place in `title` in base 36 ("20314"): the slot rule compares two
   * headlines word by word (slotChange). Absent on a headline of more terms than one digit can place.
   */
  order?: string;
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
  /** Which way the headline's figure moved, or which side of a time ("up", "down", "before", "after"). */
  direction?: string;
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
  /** In a passive naming no doer, the terms before the act: who is acted upon ("Raffensperger investigated over ..."). */
  subject?: string[];
}

/** A headline's label before a colon, which names no one: "Poll:", "Analysis:", "Live updates:". */
const LABEL =
  /^\s*((?:new\s+)?(?:poll|survey|analysis|live updates|live|watch|video|opinion|exclusive|breaking|update|report|explainer))\s*:/iu;
/** Who a headline quotes: "Kari Lake: ..." or "Kari Lake says ..." (a label before the colon is no one). */
const SPEAKER = /^\s*([^:]{2,40}?)(?::\s|\s+(?:says?|said|claims?|claimed|alleges?)\s)/iu;
function speakerOf(headline: string): string[] {
  const who = SPEAKER.exec(headline)?.[1];
  if (!who || LABEL.test(`${who}:`) || who.split(/\s+/u).length > 4) return [];
  return sortedUnique(storyTerms(who));
}

/** Acts a headline puts in the passive without naming the doer: "Raffensperger investigated over ballot handling". */
const AGENTLESS_ACTS = new Set(storyTerms('sue investigate subpoena threaten fire indict arrest charge censure'));
/** Their participle before a preposition, or ending the headline: no object follows, so it is a passive. */
const AGENTLESS = /\b(\p{L}+(?:ed|en))(?=\s+(?:over|for|after|in|amid|on|at|about|as)\b|\s*$)/iu;

/** A passive act: "Jacobs subpoenaed by Wisconsin Assembly", "Fontes sued by county supervisors". */
const PASSIVE = /\b\p{L}+(?:ed|en|wn)\s+by\b/iu;

/**
 * Who does the headline's first act and to whom, by where its terms stand: "Cochise County supervisors sue Adrian
 * Fontes" is not "Adrian Fontes sues Cochise County supervisors", though both have the same words.
 */
function actRoles(headline: string, title: readonly string[], clause: readonly string[] = []): ActRoles | undefined {
  // A reaction or an attack has a doer too: "Raffensperger slams Trump" is not "Trump slams Raffensperger".
  const at = title.findIndex((term) => ACT_TERMS.has(term) || isReaction(term));
  if (at <= 0 || at === title.length - 1) return undefined;
  // The passive's doer ends where its trailing clause begins: "sued by Tina Peters over equipment breach". A label
  // before a colon ("Poll: Raffensperger leads Jones") does nothing.
  const label = new Set(storyTerms(LABEL.exec(headline)?.[1] ?? ''));
  const passive = PASSIVE.test(headline);
  const participle = AGENTLESS.exec(headline);
  if (!passive && AGENTLESS_ACTS.has(title[at]!) && participle && storyTerms(participle[1]!)[0] === title[at]) {
    // Its doer may still come later: "Kari Lake sued for defamation by Stephen Richer".
    const doer = /\bby\s+(.+)$/iu.exec(headline.slice(participle.index))?.[1];
    if (doer)
      return { act: title[at]!, agent: sortedUnique(storyTerms(doer).filter((term) => !clause.includes(term))) };
    const subject = title.slice(0, at).filter((term) => !label.has(term));
    return { act: title[at]!, agent: [], subject: sortedUnique(subject) };
  }
  const agent = passive
    ? title.slice(at + 1).filter((term) => !clause.includes(term))
    : title.slice(0, at).filter((term) => !label.has(term));
  return { act: title[at]!, agent: [...new Set(agent)].sort() };
}

/** The summary without a Google News "... Publisher" ending: the lead its terms are read from. */
const leadOf = (item: StoryText) => withoutPublisher(item.summary ?? '', item.publisher);
const summaryTerms = (lead: string) => storyTerms(lead, MAX_SUMMARY_TERMS);

/** A headline naming coverage, not an event: "Live updates: Georgia's hand recount", "Analysis: ...", "What we know". */
const COVERAGE =
  /^\s*(?:(?:live updates?|live blog|live coverage|analysis|explainer|the latest)\s*:|what (?:we|you) know\b|what to know\b)|[:\u2013\u2014]\s*(?:live updates?|live blog|live coverage|what (?:we|you) know|what to know|the latest)\s*$/iu;
/** What tells an item's event: its headline, or under a headline naming coverage its lead's first sentence. */
function eventHeadline(headline: string, lead: string): string {
  if (!COVERAGE.test(headline)) return headline;
  return lead.split(SENTENCE_BREAK)[0]?.trim() || headline;
}

/** Places a one-digit order can name. */
const ORDER_DIGITS = 36;
/** The headline's term order, compactly: each term's place in the sorted title. */
function headlineOrder(title: readonly string[]): { order?: string } {
  const sorted = sortedUnique(title);
  if (title.length === 0 || sorted.length > ORDER_DIGITS) return {};
  return { order: title.map((term) => sorted.indexOf(term).toString(ORDER_DIGITS)).join('') };
}

/** The headline's terms in order, read back from a signature's `order`. */
export const orderedTitle = (sig: StorySignature): string[] | undefined =>
  sig.order === undefined ? undefined : [...sig.order].map((digit) => sig.title[Number.parseInt(digit, ORDER_DIGITS)]!);

export function storySignature(item: StoryText): StorySignature {
  const lead = leadOf(item);
  const headline = eventHeadline(withoutPublisher(item.title, item.publisher, true), lead);
  const title = storyTerms(headline);
  const summary = summaryTerms(lead);
  const epithets = epithetActs(headline);
  const clause = trailingClauseTerms(headline);
  const reaction = reactionTerms(headline);
  const reactors = formalReactors(headline);
  const names = headlineNames(headline);
  const titleCase = titleCased(headline);
  const pairs = namePairs(headline, titleCase);
  const said = saidTerms(headline);
  const { ahead, aside } = leadAsides(lead);
  const participles = participleActs(headline);
  const act = mood(headline);
  const speaker = speakerOf(headline);
  const planned = plannedTerms(`${headline}. ${lead}`);
  const repeats = repeatMarkers(headline);
  const houses = chambers(headline);
  const benches = courts(headline, titleCase);
  const shires = counties(headline, titleCase);
  const numbers = headlineNumbers(headline);
  const roles = actRoles(headline, title, clause);
  const side = stance(headline);
  const way = direction(headline);
  return {
    title: sortedUnique(title),
    terms: sortedUnique([...title, ...summary]),
    ...(epithets.length > 0 ? { epithets } : {}),
    ...(clause.length > 0 ? { clause } : {}),
    ...(reaction.length > 0 ? { reaction } : {}),
    ...(reactors.length > 0 ? { reactors } : {}),
    ...(names.length > 0 ? { names } : {}),
    ...(pairs.length > 0 ? { pairs } : {}),
    ...headlineOrder(title),
    ...(said.length > 0 ? { said } : {}),
    ...(ahead.length > 0 ? { ahead } : {}),
    ...(aside.length > 0 ? { aside } : {}),
    ...(participles.length > 0 ? { participles } : {}),
    ...(act ? { mood: act } : {}),
    ...(speaker.length > 0 ? { speaker } : {}),
    ...(planned.length > 0 ? { planned } : {}),
    ...(repeats.length > 0 ? { repeats } : {}),
    ...(houses.length > 0 ? { chambers: houses } : {}),
    ...(benches.length > 0 ? { courts: benches } : {}),
    ...(shires.length > 0 ? { counties: shires } : {}),
    ...(numbers.length > 0 ? { numbers } : {}),
    ...(negated(headline) ? { negated: true as const } : {}),
    ...(side ? { stance: side } : {}),
    ...(way ? { direction: way } : {}),
    ...(roles ? { roles } : {}),
    ...(item.publisher?.trim() ? { outlet: item.publisher.trim().toLowerCase() } : {}),
  };
}
