// An entity's name where room is short: an SMS, an email subject, a digest by SMS.
import type { Entity } from './types';

/** The shortest of an entity's name, aliases and ambiguous names ("CISA", "Krebs"). */
export function shortestName(entity: Pick<Entity, 'name' | 'aliases' | 'ambiguous'>): string {
  return [entity.name, ...entity.aliases, ...entity.ambiguous].reduce((shortest, name) =>
    name.length < shortest.length ? name : shortest,
  );
}
