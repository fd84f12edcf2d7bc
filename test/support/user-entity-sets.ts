// Reviewers' watchlists of entities a user adds (none of the defaults) and headlines naming them by surname alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher, type Matcher } from '../../lambda/core/match';
import { TopicModel, type TopicSettings } from '../../lambda/core/topic-model';
import type { Entity } from '../../lambda/core/types';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';

/** `<entity>:about:<n>` names the entity by surname or acronym alone; `<entity>:look:<n>` is a look-alike. */
export interface UserEntityHeadline {
  id: string;
  title: string;
}

export interface UserEntitySet {
  name: string;
  /** tune: read while choosing; blind: counted only, its headlines never printed. */
  half: 'tune' | 'blind';
  entities: Entity[];
  headlines: UserEntityHeadline[];
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/**
 * user-entities: ten entities, read in halves once to choose the borrowed threshold and tuned on since.
 * user-entities-2: twelve more, written without reading the matcher; file a to choose on, file b blind.
 */
export const USER_ENTITY_SETS: readonly { name: string; dir: string; file: string; half: 'tune' | 'blind' }[] = [
  { name: 'first set', dir: 'user-entities', file: 'headlines.jsonl', half: 'tune' },
  { name: 'second set, a', dir: 'user-entities-2', file: 'headlines-a.jsonl', half: 'tune' },
  { name: 'second set, b', dir: 'user-entities-2', file: 'headlines-b.jsonl', half: 'blind' },
];

export function loadUserEntitySets(): UserEntitySet[] {
  return USER_ENTITY_SETS.map(({ name, dir, file, half }) => ({
    name,
    half,
    entities: loadWatchlist(path.join(FIXTURES, dir, 'watchlist.yaml')).entities,
    headlines: readFileSync(path.join(FIXTURES, dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as UserEntityHeadline),
  }));
}

/** The shipped matcher for a watchlist: the seed's profiles, borrowed by entities it does not know. */
export function shippedMatcher(entities: Entity[], settings?: TopicSettings): Matcher {
  return compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }, settings));
}

export interface UserEntityScores {
  about: number;
  lookalikes: number;
  lost: UserEntityHeadline[];
  wrong: UserEntityHeadline[];
}

export function scoreUserEntities(headlines: readonly UserEntityHeadline[], matcher: Matcher): UserEntityScores {
  const about = headlines.filter((h) => h.id.includes(':about:'));
  const lookalikes = headlines.filter((h) => h.id.includes(':look:'));
  const matches = (h: UserEntityHeadline) => matcher.match(h).some((match) => match.entityId === h.id.split(':')[0]);
  return {
    about: about.length,
    lookalikes: lookalikes.length,
    lost: about.filter((h) => !matches(h)),
    wrong: lookalikes.filter(matches),
  };
}
