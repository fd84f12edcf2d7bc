// Hits of watchlist phrases in an item's text: how they nest and touch, and the snippet evidence shows.

/** A pattern occurrence in one field that passed the word-boundary check. */
export interface Hit {
  pattern: number;
  field: number;
  /** Offsets in the folded field text (to compare spans). */
  foldedStart: number;
  foldedEnd: number;
  /** Offsets in the original field text (for evidence). */
  start: number;
  end: number;
  /** Whether a space comes right before the hit in the folded text (to find phrases that touch it). */
  spaceBefore: boolean;
  /**
   * Whether a phrase of several words is no phrase in the text: it spans a dash between clauses ("Sterling — record")
   * or, for an exclude of the word's common use, a possessive ("Sterling's record", a person's, not "a sterling
   * record"). No exclude may.
   */
  notAPhrase?: true;
}

/**
 * A dash that may part a headline's clauses ("Sterling — record turnout", "Sterling - record"): an em dash or bar, any
 * dash with a space beside it. An alias may span one ("Krebs—Stamos"); an exclude, a veto, may not.
 */
const CLAUSE_DASH = /[\u2014\u2015]|\s[-\u2010-\u2013\u2212]|[-\u2010-\u2013\u2212]\s/u;
/** A possessive inside a phrase of several words, which folding dropped ("Sterling's record"). */
const POSSESSIVE_INSIDE = /\p{L}['\u2019]s\s/u;
/**
 * A clause dash, or a possessive inside an exclude of the word's common use ("Sterling's record" is a person's, not "a
 * sterling record"): folding dropped both.
 */
const NOT_A_PHRASE = new RegExp(`${CLAUSE_DASH.source}|${POSSESSIVE_INSIDE.source}`, 'u');

/**
 * What breaks an exclude in the text, given the watchlist phrases it was folded from: a clause dash; and when one is
 * written in lower case, the word's common use ("sterling record"), a possessive too. A name's possessive is still the
 * name ("Krebs's cycle").
 */
export function excludeBreak(phrases: readonly string[]): RegExp {
  const commonUse = phrases.some((phrase) => !/\p{Lu}/u.test(phrase) && !POSSESSIVE_INSIDE.test(`${phrase} `));
  if (commonUse) return NOT_A_PHRASE;
  return phrases.every((phrase) => NAME_CASED.test(phrase)) ? NOT_A_NAME : CLAUSE_DASH;
}

/**
 * A phrase written as a person's or an outlet's name, two capitalized words (a short joining one between):
 * "Chase Masterson", "Krebs on Security"; not a title before a name ("Senate President Masterson").
 */
const JOINING = '(?:on|of|the|and|de|van|von)\\s';
const NAME_CASED = new RegExp(`^\\p{Lu}\\S*\\s+(?:${JOINING}+)?\\p{Lu}\\S*$`, 'u');
/**
 * A clause dash, or a word of the name in lower case beside one capitalized: no name ("Election deniers chase
 * Masterson from town hall" names no Chase Masterson). A text all in lower case says nothing.
 */
const NOT_A_NAME = new RegExp(`${CLAUSE_DASH.source}|^(?=[^]*\\p{Lu})(?:[^]*\\s)?(?!${JOINING})\\p{Ll}`, 'u');

const SNIPPET_RADIUS = 60;

/** About SNIPPET_RADIUS characters either side of the hit, cut at spaces where possible, ellipsised when cut. */
export function snippetAround(text: string, start: number, end: number): string {
  let from = Math.max(0, start - SNIPPET_RADIUS);
  let to = Math.min(text.length, end + SNIPPET_RADIUS);
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space !== -1 && space < start) from = space + 1;
    else if (/[\udc00-\udfff]/.test(text[from] ?? '')) from++;
  }
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space >= end) to = space;
    else if (/[\ud800-\udbff]/.test(text[to - 1] ?? '')) to--;
  }
  const body = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
}

export function inside(inner: Hit, outer: Hit): boolean {
  return inner.field === outer.field && outer.foldedStart <= inner.foldedStart && inner.foldedEnd <= outer.foldedEnd;
}

export function strictlyInside(inner: Hit, outer: Hit): boolean {
  return inside(inner, outer) && outer.foldedEnd - outer.foldedStart > inner.foldedEnd - inner.foldedStart;
}

/** Phrases that touch: the same field, one space apart, `first` before `second` ("CISA's Krebs", "Georgia's Sterling"). */
export function touching(first: Hit, second: Hit): boolean {
  return first.field === second.field && first.foldedEnd + 1 === second.foldedStart && second.spaceBefore;
}
