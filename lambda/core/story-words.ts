// Story words: one word or phrase of news text as the story term it counts as (stemmed, synonyms and two-word acts
// folded, stop-words and news filler dropped).
import { FUNCTION_WORDS, NEWS_FILLER } from './news-words';
import { SYNONYMS, WORD_TERMS } from './story-synonyms';
import { foldedWords as words } from './text-fold';

/** Words that never name an event: grammar, news filler, and words any story's headline may carry. */
export const STOP_WORDS = new Set([
  ...FUNCTION_WORDS,
  ...NEWS_FILLER,
  ...'sources source ap first since new last still ahead prior'.split(' '),
  // A contraction is its grammar words ("won't" is "will not"); the negation rule reads the headline itself.
  ...'wont cant cannot dont doesnt didnt isnt arent wasnt werent wouldnt shouldnt couldnt'.split(' '),
]);
// An opinion piece is the writer's own act (an op-ed), not filler: "Opinion | Trump fired me for saying this".
STOP_WORDS.delete('opinion');

/** Light suffix stripping so "fires", "fired" and "firing" meet; proper names lose an "s" on both sides alike. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is'))
    w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  const last = w.charAt(w.length - 1);
  if (w.length > 3 && last === w.charAt(w.length - 2) && !'aeiouls'.includes(last)) w = w.slice(0, -1);
  return w;
}

/** How a headline says a court said no (present), and its participle (a suit "tossed"). */
const COURT_NO = 'toss(?:es)?|throws? out|rejects?|dismiss(?:es)?|strikes? down|den(?:y|ies)|blocks?';
const COURT_NOED = 'tossed|thrown out|rejected|dismissed|struck down|denied|blocked';

/** Phrasal verbs that name an act in two words: "steps down" and "pushed out" are leaving, "snaps up" buying, "gets under way" beginning. */

const PHRASAL_ACTS: readonly [RegExp, string][] = [
  // Dismissing claims or calls is rejecting them, not a firing: "Krebs dismisses Trump's fraud claims".
  [
    /\bdismiss(?:es|ed|ing)?\b(?=(?:\s+\S+){0,4}?\s+(?:claims?|calls?|concerns?|reports?|allegations?|accusations?|criticism|critics|fears?|rumou?rs?|ideas?|talk|speculation|questions?|theor(?:y|ies)|suggestions?|complaints?|notion|warnings?|worries)\b)/giu,
    'rejects',
  ],
  // A ballot drop box is a thing, not a suit dropped.
  [/\bdrop[- ]?box(?:es)?\b/giu, 'dropbox'],
  // Taking someone to court is suing them; "court" alone ("court hearing set") is no new suit.
  [/\b(?:tak(?:e|es|en|ing)|took) (\S+(?: \S+){0,3}?) to court\b/giu, 'sues $1'],
  // Joining a lawsuit or being named in one is the suit, not a hire: "Griswold joins lawsuit against Trump over ...".
  [/\bjoin(?:s|ed|ing)? (?=(?:\S+ ){0,3}?(?:lawsuits?|suits?|challenges?|complaints?)\b)/giu, 'enters '],
  [/\bnamed (?:as a defendant )?in (?=(?:\S+ ){0,3}?(?:lawsuits?|suits?|complaints?)\b)/giu, 'in '],
  // Filing a lawsuit against someone is suing them: "Cochise County files lawsuit against Adrian Fontes".
  [/\bfil(?:e|es|ed|ing) (?:an? )?(?:law)?suit against\b/giu, 'sues'],
  [/\bstep(?:s|ped|ping)? down\b/giu, 'resigns'],
  [/\b(?:forc|push)(?:e|es|ed|ing)? out\b/giu, 'resigns'],
  [/\bsnap(?:s|ped|ping)? up\b/giu, 'acquires'],
  [/\bturn(?:s|ed|ing)? up\b/giu, 'finds'],
  [/\b(?:gets?|got|is|are) (?:under ?way)\b/giu, 'begins'],
  [/\bkick(?:s|ed|ing)? off\b/giu, 'begins'],
  // Senses of an act's word that are no such act: "under fire" and "fires back" are criticism and a reply, not a firing;
  // "on leave" or "takes leave" is no departure; "signs of" no signature; an exploratory committee no launch; "appeals
  // to voters" no appeal; "confirms an investigation" announces it, finding nothing yet.
  [/\bunder fire\b/giu, 'embattled'],
  [/\bfir(?:e|es|ed|ing) back\b/giu, 'responds'],
  [
    /\b((?:on|takes?|took|taking)\s+(?:an?\s+)?(?:(?:administrative|paid|unpaid|medical|temporary|indefinite)\s+)?)leave(?:\s+of\s+absence)?\b/giu,
    '$1furlough',
  ],
  [/\bleave of absence\b/giu, 'furlough'],
  [/\bsigns of\b/giu, 'indications of'],
  // Opting out is withdrawing: "opts out of full hand count" after "opts into full hand count".
  [/\bopt(?:s|ed|ing)? out of\b/giu, 'withdraws from'],
  [/\bform(?:s|ed|ing)? (?:an? )?(?:exploratory |campaign |fundraising )?committee\b/giu, 'organizes committee'],
  [
    /\b[Aa]ppeal(?:s|ed|ing)? to (?!(?:the |a |an )?(?:\p{Lu}\S* |\d\S* |state |federal |appeals )*(?:[Cc]ourts?|[Cc]ircuit|[Jj]ustices|[Bb]oard|[Cc]ommission|[Pp]anel)\b)/gu,
    'urges ',
  ],
  [
    /\bconfirm(?:s|ed|ing)? (?=(?:an? |the |his |her |its )?(?:\S+ )?(?:investigation|probe|review|inquiry|audit)\b)/giu,
    'announces ',
  ],
  // An act rumored, feared or dreaded may come: "Rumors swirl of Jen Easterly departure", "Republicans fear Hobbs veto".
  [
    /\b(?:rumou?rs?|speculation|fears?|worries|anxiety|concerns?)\s+(?:swirls?|grows?|mounts?|spreads?)\s+(?:of|about|over)\b/giu,
    'may',
  ],
  [/\b(?:fears?|fearing|anxious|worried|dreads?|dreading)(?:\s+(?:over|about|of))?\b/giu, 'may'],
  // Calling on someone to act is urging them, with a doer and a target: "Peters calls on Griswold to resign".
  [/\bcall(?:s|ed|ing)? on (?=(?:\S+ ){1,4}?to\b)/giu, 'urges '],
  // A chief of staff is an aide, not the chief: "Katie Hobbs' chief of staff subpoenaed" is not Hobbs subpoenaed.
  [/\bchiefs? of staff\b/giu, 'chiefstaff'],
  // Calling off, backing down and voting down undo an act: "calls off meeting to censure" after "calls meeting to
  // censure". The act goes before the phrase, which stays to hold off what follows ("backs down on subpoena").
  [/\bcall(?:s|ed|ing)? off\b/giu, 'cancels $&'],
  [/\bback(?:s|ed|ing)? (?:off|down|away)\b/giu, 'drops $&'],
  [/\b(?:vot|turn)(?:es|ed|ing|e|s)? down\b/giu, 'rejects $&'],
  [/\bwrap(?:s|ped|ping)? up\b/giu, 'completes'],
  // Telling a legislature is testifying: "Krebs tells senators ...", "Sterling told the Senate Homeland Security
  // Committee ...". Up to three capitalized words name the body; "tells reporters" is no testimony.
  [
    /\b(?:[Tt]ell(?:s|ing)?|[Tt]old|TELLS?|TOLD) (?:a |the |A |The )?(?:(?:\p{Lu}[\p{L}.]*|state|house|senate|congressional|select|[Jj]an\.? 6|[Jj]anuary 6) ){0,3}(?:[Ss]enators|[Ll]awmakers|[Ll]egislators|Congress|[Pp]anel|[Cc]ommittee|SENATORS|LAWMAKERS|PANEL|COMMITTEE)\b/gu,
    'testifies $&',
  ],
  // "Krebs on 'TODAY':" is how a headline says someone went on a show: an interview, though the word is not there.
  [/\bon (?=['\u2018"\u201c][\p{Lu}\d])/gu, 'interview on '],
  // A court's decision is the stage after the suit ("judge tosses suit" is not the suit being filed), however worded;
  // only with a court or its case as subject, so "toss ballots" and "Trump dismisses Krebs" stay what they are.
  [new RegExp(`\\b(judges?|courts?|justices|panel) (?:${COURT_NO}|rules?|ruled)\\b`, 'giu'), '$1 courtrules'],
  [
    new RegExp(
      `\\b(suits?|lawsuits?|case|cases|bid|challenge|appeal)(?: (?:is|was|are|were|gets?|got))? (?:${COURT_NOED})\\b`,
      'giu',
    ),
    '$1 courtrules',
  ],
];

/** The text with its two-word acts written as one ("steps down" -> "resigns"). */
export const phrasalActs = (text: string) =>
  PHRASAL_ACTS.reduce((folded, [phrase, act]) => folded.replace(phrase, act), text);

/** The story term of one word (not a stop word): stemmed, synonyms folded. */
export function termOf(word: string): string {
  const stemmed = WORD_TERMS.get(word) ?? stem(word);
  return SYNONYMS.get(stemmed) ?? stemmed;
}

/** Initials with dots ("U.S.", "D.C."), read as one word as they are without them ("US"), not dropped letter by letter. */
const DOTTED_INITIALS = /\b(\p{L})\.(\p{L})\.(?:(\p{L})\.)?/gu;

export function storyTerms(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const terms: string[] = [];
  for (const word of words(phrasalActs(text.replace(DOTTED_INITIALS, '$1$2$3')))) {
    if (STOP_WORDS.has(word)) continue;
    terms.push(termOf(word));
    if (terms.length >= limit) break;
  }
  return terms;
}

/**
 * Acts that make a development (as story terms). An item whose headline names an act its candidate story never
 * mentions reports something new ("testifies" after "fired", "sues" after "says he should be shot"): it alerts.
 */
export const ACT_TERMS: ReadonlySet<string> = new Set(
  storyTerms(
    'fire hire leave sue testify investigate revoke award arrest indict subpoena nominate certify recount ' +
      'launch acquire threat interview write pardon endorse sentence convict acquit settle ban warn demand retract ' +
      // The stages of a procedure: an audit that begins and one that finds, a suit and its appeal, are two developments.
      'complete find appeal postpone schedule request publish courtrules ' +
      // Turns of a procedure under way: a suit dropped, staff reinstated, a contract extended, a request granted.
      'drop reinstate extend expand grant accept plead charge pass advance ' +
      // What an official does with a bill or a decision: a veto, a signature, an announcement.
      'veto sign announc issue reject open cut complaint cancel furlough',
  ),
);

/**
 * US states (as story terms; "Washington" left out, as it is mostly the capital): elections, audits, recounts and
 * certification suits happen state by state, so two headlines in different states report two events.
 */
export const STATE_TERMS: ReadonlySet<string> = new Set(
  storyTerms(
    'alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois ' +
      'indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri ' +
      'montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode ' +
      'tennessee texas utah vermont virginia wisconsin wyoming',
  ),
);

/** States of two words whose last word names a state, or another one, alone: "West Virginia" is not Virginia. */
const STATE_QUALIFIERS = new Map(
  Object.entries({ virginia: ['west'], carolina: ['north', 'south'], dakota: ['north', 'south'] }).map(
    ([state, qualifiers]) => [storyTerms(state)[0]!, qualifiers.map((word) => storyTerms(word)[0]!)],
  ),
);

/** The states a signature's terms name, a two-word state as one ("west virginia"). */
export function statesNamed(terms: readonly string[]): string[] {
  return terms
    .filter((term) => STATE_TERMS.has(term))
    .map((term) => {
      const qualifier = STATE_QUALIFIERS.get(term)?.find((word) => terms.includes(word));
      return qualifier ? `${qualifier} ${term}` : term;
    });
}

/** Sorted unique values: a signature's form. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
