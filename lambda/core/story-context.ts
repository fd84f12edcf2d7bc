// Who a story item is about and how rare its words are: the context every join decision reads, and the event terms.
import type { StorySignature } from './story-terms';
import { storyTerms } from './story-words';
import { TermRarity } from './term-rarity';
import type { Entity } from './types';

/** The story terms of a list of words, as a set: the form the decision compares terms in. */
export const termSet = (words: string): ReadonlySet<string> => new Set(storyTerms(words));

/**
 * Role and title words (as story terms: stemmed, synonyms folded): every item about an official carries some of them,
 * so they say who an item is about, not what happened.
 */
export const ROLE_TERMS = termSet(
  'head former ex official agency secretary top leader senior administrator commissioner onetime ' +
    'adviser advisor aide spokesman spokeswoman spokesperson ' +
    'us america american federal government department nation national',
);

/** Role words that say whose or how wide, not who: "state investigators" are not "federal investigators". */
const SCOPE_TERMS = termSet('federal national');

/** What the join decision needs besides the two signatures: who the watchlist is about, and how rare words are. */
export interface StoryContext {
  /** Story terms of every entity's name, aliases and ambiguous names: who an item is about, never what happened. */
  entityTerms: ReadonlySet<string>;
  /** Each entity's names as terms, under each name's first term: which tracked entities a headline names. */
  entityNames: ReadonlyMap<string, readonly { id: string; terms: readonly string[] }[]>;
  /** Every term of each entity's names, by entity id: "chris" and "cisa" are words of Krebs's own names. */
  termsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Names of one term ("kreb", "cisa"): who an item is about wherever they stand. */
  soleNameTerms: ReadonlySet<string>;
  /**
   * Names of several terms, under each of their terms: a word of one ("election" of Election Assistance Commission,
   * "governor" of Governor Hobbs) names who only beside the others, and is an event word elsewhere.
   */
  namesWith: ReadonlyMap<string, readonly (readonly string[])[]>;
  rarity: TermRarity;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

/** The story context of a watchlist, with a rarity table (a fresh one when none is given). */
export function storyContext(entities: readonly Entity[], rarity: TermRarity = new TermRarity()): StoryContext {
  const entityTerms = new Set<string>();
  const entityNames = new Map<string, { id: string; terms: string[] }[]>();
  const termsOf = new Map<string, Set<string>>();
  const soleNameTerms = new Set<string>();
  const namesWith = new Map<string, string[][]>();
  for (const entity of entities) {
    const own = termsOf.get(entity.id) ?? new Set<string>();
    termsOf.set(entity.id, own);
    for (const phrase of [entity.name, ...entity.aliases, ...entity.ambiguous]) {
      const terms = storyTerms(phrase);
      if (terms.length === 0) continue;
      for (const term of terms) {
        entityTerms.add(term);
        own.add(term);
        if (terms.length > 1) namesWith.set(term, [...(namesWith.get(term) ?? []), terms]);
      }
      if (terms.length === 1) soleNameTerms.add(terms[0]!);
      const named = entityNames.get(terms[0]!) ?? [];
      named.push({ id: entity.id, terms });
      entityNames.set(terms[0]!, named);
    }
  }
  return { entityTerms, entityNames, termsOf, soleNameTerms, namesWith, rarity };
}

/** The tracked entities whose name, alias or ambiguous name `terms` hold whole (looked up by the terms, not the watchlist). */
export function entitiesNamed(terms: Iterable<string>, context: StoryContext): string[] {
  const has = new Set(terms);
  const ids = new Set<string>();
  for (const term of has) {
    for (const name of context.entityNames.get(term) ?? []) {
      if (name.terms.every((part) => has.has(part))) ids.add(name.id);
    }
  }
  return [...ids];
}

/** The terms of a signature that can name an event: not a name of a tracked entity, not a role word. */
export function eventTerms(terms: readonly string[], context: StoryContext): string[] {
  return terms.filter((term) => !context.entityTerms.has(term) && !ROLE_TERMS.has(term));
}

/**
 * The terms of a signature that can name what differs between two headlines: not a role word (but a scope word), not
 * a name of a tracked entity, but a word of a longer name standing alone ("CISA briefs governors" beside a tracked
 * "Governor Hobbs").
 */
export function factTerms(terms: readonly string[], context: StoryContext): string[] {
  let present: ReadonlySet<string> | undefined;
  const inWholeName = (term: string) => {
    present ??= new Set(terms);
    return context.namesWith.get(term)?.some((name) => name.every((part) => present!.has(part))) === true;
  };
  return terms.filter(
    (term) =>
      (!ROLE_TERMS.has(term) || SCOPE_TERMS.has(term)) &&
      !context.soleNameTerms.has(term) &&
      !(context.entityTerms.has(term) && inWholeName(term)),
  );
}

/** Terms with their rarity weights, rarest first. */
export function weighed(terms: readonly string[], context: StoryContext): WeightedTerm[] {
  return terms
    .map((term) => ({ term, weight: Math.round(context.rarity.weight(term) * 100) / 100 }))
    .sort((x, y) => y.weight - x.weight || (x.term < y.term ? -1 : 1));
}

/** Summed weight. */
export const total = (terms: readonly WeightedTerm[]) => terms.reduce((sum, t) => sum + t.weight, 0);

/** Whether two headlines name the same event terms (however they name the person). */
export function sameEventHeadline(item: StorySignature, member: StorySignature, context: StoryContext): boolean {
  const memberTerms = new Set(eventTerms(member.title, context));
  const itemTerms = eventTerms(item.title, context);
  return itemTerms.length === memberTerms.size && itemTerms.every((term) => memberTerms.has(term));
}
