// Which one-word aliases are a person's surname: the names other people share, which a topic profile may veto.
import type { Entity } from './types';

/**
 * A one-word capitalized alias that ends the entity's name of several words: a person's surname ("Raffensperger" of
 * "Brad Raffensperger"), not a company's name ("Microsoft"), which goes before product names.
 */
export function isSurname(alias: string, name: string): boolean {
  const words = name.trim().split(/\s+/u);
  return /^\p{Lu}\p{Ll}+$/u.test(alias) && words.length > 1 && words.at(-1)!.toLowerCase() === alias.toLowerCase();
}

/** The entity's aliases that are its surname alone. */
export const surnameAliases = (entity: Entity): string[] =>
  entity.aliases.filter((alias) => isSurname(alias, entity.name));

/**
 * Whether the entity gets a topic profile: it has a bare name that can mean someone else, ambiguous ("Krebs") or a
 * surname alias ("Raffensperger"), which only a clear lean of the item's words away from the profile vetoes.
 */
export const hasTopicProfile = (entity: Entity): boolean =>
  entity.ambiguous.length > 0 || surnameAliases(entity).length > 0;
