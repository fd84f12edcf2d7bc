// Why a name of a tracked entity in an item did not count: the reasons `match --explain` shows a user.

/** Why a name of a tracked entity in the item did not make it a match. */
export type RefusalReason =
  /** Every naming lies inside one of the entity's excludes ("Brian Krebs"). */
  | 'inside-exclude'
  /** A one-word surname alias after another given name or before another name part ("Tom Raffensperger"). */
  | 'alias-names-someone-else'
  /** One of the entity's excludes is in the item's link, publisher or feed name ("krebsonsecurity.com"). */
  | 'exclude-in-source'
  /** The bare name is someone's or something else's ("Dr. Krebs", "Sterling Infrastructure", "a weaker sterling"). */
  | 'names-someone-else'
  /** The item names a look-alike, and no context phrase touches this bare name. */
  | 'lookalike-named'
  /** No context phrase, and the entity has no topic profile (give it `context` or `topics` in the watchlist). */
  | 'no-context-no-profile'
  /** A family business after the surname ("Masterson Ranch"). */
  | 'family-business'
  /** An occupation in another walk of life introduces the surname ("dairy farmer Raffensperger", "coach Masterson"). */
  | 'other-occupation'
  /** None of the item's words is in the entity's topic profile: nothing says which way it leans (give it `context`). */
  | 'no-known-words'
  /** The item's words do not lean towards the entity's topic profile by the margin needed. */
  | 'topic';

/** The rule that held back an entity the item names, in the order the matcher applies them. */
export function refusalReason(held: {
  anyBare: boolean;
  aliasRefused: boolean;
  sourceVeto: boolean;
  candidates: number;
  namesLookalike: boolean;
  profiled: boolean;
  judged: boolean;
  /** The profile knew none of the item's words. */
  unknownWords?: boolean;
  occupation: boolean;
}): RefusalReason {
  if (!held.anyBare) {
    if (!held.aliasRefused) return 'inside-exclude';
    return held.occupation ? 'other-occupation' : 'alias-names-someone-else';
  }
  if (held.sourceVeto) return 'exclude-in-source';
  if (held.candidates === 0) return 'names-someone-else';
  if (held.namesLookalike) return 'lookalike-named';
  if (!held.profiled) return 'no-context-no-profile';
  if (held.occupation) return 'other-occupation';
  if (!held.judged) return 'family-business';
  return held.unknownWords ? 'no-known-words' : 'topic';
}
