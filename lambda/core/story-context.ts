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

/** What the join decision needs besides the two signatures: who the watchlist is about, and how rare words are. */
export interface StoryContext {
  /** Story terms of every entity's name, aliases and ambiguous names: who an item is about, never what happened. */
  entityTerms: ReadonlySet<string>;
  /** Each entity's names as terms, under each name's first term: which tracked entities a headline names. */
  entityNames: ReadonlyMap<string, readonly { id: string; terms: readonly string[] }[]>;
  /** Every term of each entity's names, by entity id: "chris" and "cisa" are words of Krebs's own names. */
  termsOf: ReadonlyMap<string, ReadonlySet<string>>;
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
  for (const entity of entities) {
    const own = termsOf.get(entity.id) ?? new Set<string>();
    termsOf.set(entity.id, own);
    for (const phrase of [entity.name, ...entity.aliases, ...entity.ambiguous]) {
      const terms = storyTerms(phrase);
      if (terms.length === 0) continue;
      for (const term of terms) {
        entityTerms.add(term);
        own.add(term);
      }
      const named = entityNames.get(terms[0]!) ?? [];
      named.push({ id: entity.id, terms });
      entityNames.set(terms[0]!, named);
    }
  }
  return { entityTerms, entityNames, termsOf, rarity };
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
