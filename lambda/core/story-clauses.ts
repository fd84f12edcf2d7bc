// What a headline says as background or not yet: epithets, trailing clauses, reactions, what is said or planned.
import { ACT_TERMS, phrasalActs, STOP_WORDS, sortedUnique, stem, storyTerms, termOf } from './story-words';
import { foldedWords as words } from './text-fold';

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

/** Acts a headline names by a past participle ("reinstates fired workers", "voters removed from rolls"). */
export function participleActs(headline: string): string[] {
  return sortedUnique(
    words(headline)
      .filter((word) => word.endsWith('ed'))
      .flatMap((word) => storyTerms(word))
      .filter((term) => ACT_TERMS.has(term)),
  );
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
      ) &&
      !(word === 'as' && namesPost([...before, ...lastWords.slice(0, index)], lastWords.slice(index + 1))),
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
 * Acts whose "as" names the post taken or left, the act's object: "hired as chief intelligence officer"; not a clause
 * with an act of its own ("leaves SentinelOne as Trump revokes his clearance").
 */
const POST_ACTS = new Set(['hire', 'leave']);
const namesPost = (before: readonly string[], after: readonly string[]) =>
  storyTerms(before.join(' ')).some((term) => POST_ACTS.has(term)) &&
  !storyTerms(after.join(' ')).some((term) => ACT_TERMS.has(term));

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
/** Verbs of an attack on someone, a defence or a lead in a race (as stems), whose doer and target a headline can swap. */
const DIRECTED_VERBS = new Set(['attack', 'accus', 'blam', 'rebuk', 'defend', 'lead', 'trail', 'urg']);
/** Whether a headline's act is a reaction or an attack (as stems): a statement, with whoever makes it as its doer. */
export const isReaction = (act: string) => REACTION_VERBS.has(act) || DIRECTED_VERBS.has(act);
/** A quoted word or phrase: the reactor's characterization ('pathetic'), not what happened. */
const QUOTED = /(^|[\s([])['\u2018"\u201c][^'\u2019"\u201d]*['\u2019"\u201d](?=$|[\s,.;:!?)\]])/gu;

/** The terms a reaction headline reacts to, or [] when its main clause has no reaction verb after a subject. */
export function reactionTerms(headline: string): string[] {
  const headlineWords = reactionWords(headline);
  const end = headlineWords.findIndex((word, index) => index >= 2 && CLAUSE_OPENERS.has(word));
  const main = end < 0 ? headlineWords : headlineWords.slice(0, end);
  const verb = reactionVerbAt(main);
  return verb < 0 ? [] : sortedUnique(storyTerms(main.slice(verb + 1).join(' ')));
}

/** A headline's words as reactions are read, quotes opened ("Democrats condemn 'pathetic' firing"). */
const reactionWords = (headline: string) => words(headline.replace(QUOTED, '$1 '));
/** Where the first reaction verb after the first word stands, or -1. */
const reactionVerbAt = (headlineWords: readonly string[]) =>
  headlineWords.findIndex((word, index) => index >= 1 && REACTION_VERBS.has(stem(word)));

/** Bodies and papers whose "reaction" is an act of its own: a watchdog's report, a committee's vote, a resolution. */
const FORMAL_REACTORS = new Set(
  'inspector watchdog gao committee committees panel report reports resolution audit review letter board commission'.split(
    ' ',
  ),
);

/** The body or paper a reaction headline names before its verb ("Inspector general slams ..."), if any. */
export function formalReactors(headline: string): string[] {
  const headlineWords = reactionWords(headline);
  const verb = reactionVerbAt(headlineWords);
  return verb < 0 ? [] : sortedUnique(headlineWords.slice(0, verb).filter((word) => FORMAL_REACTORS.has(word)));
}

/** Verbs of speech: what follows them in a headline is what someone said, not what happened. */
const SPEECH_VERBS = new Set('tell tells told'.split(' '));

/** Words that put the acts right after them in the future, the conditional or the negative: not done (yet). */
const NOT_YET_WORDS = new Set(
  'will would may might could should must can cant cannot wont wouldnt shall not never unlikely likely whether if upcoming'.split(
    ' ',
  ),
);
/**
 * Stems of verbs after which an act is weighed, threatened or denied: "weighs firing", "threatens veto". Verbs that ask
 * for an act take "to" ("urges Trump to fire"), read as such; alone they may stand before the act done ("Under
 * pressure, Hobbs signs budget").
 */
const NOT_YET_VERBS = new Set(
  'weigh mull consider eye threaten vow plan pois hint signal deny refus rumor verg fail balk'.split(' '),
);
/** Words a yes-or-no question opens with ("Why did Trump fire Krebs?" reports the firing done). */
const QUESTION_OPENERS = new Set('is are was were has have had did does do'.split(' '));
/** Verbs of an act someone faces, risks, nears or braces for ("faces censure", "risks criminal charges"), as stems. */
const FACING = new Set(['fac', 'risk', 'near', 'brac', 'want', 'demand', 'propos', 'call', 'push', 'press', 'seek']);
/** Of those, the ones whose "for" names the act: "braces for raid", "calls for his firing", "pushes for budget cut". */
const FACING_FOR = new Set(['brac', 'call', 'push', 'press']);
/** Whether such a verb governs the word at `index`: within reach, in the same clause ("faces backlash over comments"). */
function faced(partWords: readonly string[], index: number): boolean {
  for (let at = index - 1; at >= Math.max(0, index - NOT_YET_REACH - 1); at--) {
    const word = partWords[at]!;
    if (FACING.has(stem(word))) return !FACING_FOR.has(stem(word)) || partWords[at + 1] === 'for';
    if (CLAUSE_OPENERS.has(word) && !(word === 'for' && FACING_FOR.has(stem(partWords[at - 1] ?? '')))) return false;
  }
  return false;
}
/** Verbs and particles that hold an act off: "holds off on certifying", "backs down on subpoena", "stops short of". */
const HOLD_OFF =
  /^(?:hold|holds|held|holding|back|backs|backed|backing|call|calls|called|calling|stop|stops|stopped)$/u;
const HOLD_OFF_PARTICLES = new Set(['off', 'down', 'short']);
const holdsOff = (words: readonly string[]) =>
  words.some((word, at) => HOLD_OFF_PARTICLES.has(word) && at > 0 && HOLD_OFF.test(words[at - 1]!));
/** Words that, after an act, say it is still to come: "veto expected", "testimony set for Tuesday", "firing would be". */
const NOT_YET_AFTER = new Set(
  'expected looms looming threat threatened set scheduled slated planned pending possible likely imminent feared rumored decision vote would could might'.split(
    ' ',
  ),
);
/** Of those, words that say so only right after the act ("certification vote"), not further on ("... by voice vote"). */
const NOT_YET_NEXT_ONLY = new Set(['decision', 'vote', 'pending']);
/** Verbs before "to" that say the act is decided, not to come: "votes to certify", "voted to strip". */
const DECIDED_BEFORE_TO = new Set(['vote', 'votes', 'voted', 'voting']);
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
    // A yes-or-no question asks whether the act happened: "Is Raffensperger running for governor?", "Did CISA cut ...?".
    const asked = part.trim().endsWith('?') && QUESTION_OPENERS.has(partWords[0] ?? '');
    partWords.forEach((word, index) => {
      if (STOP_WORDS.has(word)) return;
      const before = partWords.slice(Math.max(0, index - NOT_YET_REACH), index);
      const after = partWords.slice(index + 1, index + 2 + NOT_YET_REACH);
      const to = before.lastIndexOf('to');
      const notYet =
        asked ||
        (to !== -1 && to >= before.length - 2 && !DECIDED_BEFORE_TO.has(before[to - 1] ?? '')) ||
        before.some((previous) => NOT_YET_WORDS.has(previous) || NOT_YET_VERBS.has(stem(previous))) ||
        holdsOff(partWords.slice(Math.max(0, index - NOT_YET_REACH - 1), index)) ||
        faced(partWords, index) ||
        after.some((next, at) => NOT_YET_AFTER.has(next) && (at === 0 || !NOT_YET_NEXT_ONLY.has(next)));
      (notYet ? planned : done).add(termOf(word));
    });
  }
  return sortedUnique([...planned].filter((term) => !done.has(term)));
}

/** Words that put a sentence of a lead in what is to come: "Masterson is expected to be pushed out too". */
const AHEAD_WORDS = new Set([...NOT_YET_WORDS, ...'expected plans planning next later soon'.split(' ')]);
/** Words that put it in another matter: "Republicans are also pushing a bill", "after earlier alerts about ...". */
const ASIDE_WORDS = new Set('also earlier previously separately meanwhile'.split(' '));
/** Where a lead's sentence ends: after a word's end ("said."), not an abbreviation ("Gov."). */
export const SENTENCE_BREAK = /(?<=\p{Ll}{3}[.!?])\s+/u;
/** ...or at a semicolon, for the lead's asides. */
const SENTENCE_END = new RegExp(`;|${SENTENCE_BREAK.source}`, 'u');

/**
 * Terms a lead names only in sentences about what is to come or did not happen (`ahead`: "Secretary of State Brad
 * Raffensperger is expected to appear later" under Sterling's testimony tells no testimony by Raffensperger), or about
 * another matter (`aside`: "Republicans are also pushing a bill requiring hand counts").
 */
export function leadAsides(lead: string): { ahead: string[]; aside: string[] } {
  const [ahead, aside, done] = [new Set<string>(), new Set<string>(), new Set<string>()];
  for (const sentence of lead.split(SENTENCE_END)) {
    const sentenceWords = words(sentence);
    const target = sentenceWords.some((word) => ASIDE_WORDS.has(word))
      ? aside
      : sentenceWords.some((word) => AHEAD_WORDS.has(word))
        ? ahead
        : done;
    for (const term of storyTerms(sentence)) target.add(term);
  }
  const only = (terms: ReadonlySet<string>) => sortedUnique([...terms].filter((term) => !done.has(term)));
  return { ahead: only(ahead), aside: only(aside) };
}

/** Words that weigh an act rather than decide it: "may fire", "should join", "weighs firing", "hints at run". */
const WEIGHING_WORDS = new Set(['may', 'might', 'could', 'should']);
const WEIGHING_VERBS = new Set(['weigh', 'mull', 'consider', 'eye', 'hint']);

/** An act decided against: "Georgia won't recount", "printers not to blame", "refuses to certify". */
const REFUSAL = /\b(?:won[\u2019']?t|will not|not to|refus(?:es|ed|ing)? to|declin(?:es|ed|ing)? to)\b/iu;
/** How a headline holds its act: weighed, decided (still to come) or decided against. */
export type Mood = 'weighed' | 'decided' | 'refused';

/**
 * Whether a headline's act is only weighed ("Trump weighs firing Krebs", "Richer could run for Congress") or decided,
 * still to come ("Trump to fire Krebs", "Richer will run"), or decided against ("Georgia won't recount"): the decision
 * after the weighing, or the other way, is another development.
 */
export function mood(headline: string): Mood | undefined {
  const headlineWords = words(headline);
  if (REFUSAL.test(headline)) return 'refused';
  const weighs = headlineWords.some((word) => WEIGHING_WORDS.has(word) || WEIGHING_VERBS.has(stem(word)));
  if (weighs) return 'weighed';
  return plannedTerms(headline).length > 0 ? 'decided' : undefined;
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

export const headlineParts = (headline: string) =>
  headline.split(HEADLINE_BREAK).map((part) => part.split(/[^\p{L}\p{N}&'\u2019]+/u).filter((w) => w.length > 0));

/** Longer words Title Case leaves in lower case. */
const TITLE_CASE_MINOR = new Set('with from into onto over upon than that this about after amid'.split(' '));

/**
 * Whether a headline is in Title Case, so capitals say nothing about names: most of its longer words capitalized, and
 * none of them in lower case but the few Title Case leaves so ("Raffensperger to write 'Integrity Counts' for Simon &
 * Schuster" capitalizes names, not words).
 */
export function titleCased(headline: string): boolean {
  const longer = headlineParts(headline)
    .flat()
    .filter((word) => word.length > 3);
  const upper = longer.filter((word) => /^\p{Lu}/u.test(word)).length;
  const lowerWords = longer.filter((word) => !/^\p{Lu}/u.test(word) && !TITLE_CASE_MINOR.has(word.toLowerCase()));
  return longer.length === 0 || (upper / longer.length > TITLE_CASE_SHARE && lowerWords.length === 0);
}
