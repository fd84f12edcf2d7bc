// Finds tracked entities in an item's title, summary and content with one Aho-Corasick automaton over folded text.
import { Automaton, codePointAt, codePointBefore } from './match-automaton';
import { excludeBreak, type Hit, inside, snippetAround, strictlyInside, touching } from './match-hits';
import {
  aliasNamesSomeoneElse,
  namesHousehold,
  namesRelative,
  namesSomeoneElse,
  namesSomethingElse,
} from './match-names';
import { occupationOf, ownOccupations } from './match-occupations';
import { type RefusalReason, refusalReason } from './match-refusal';
import { FoldedText, foldPhrase, isWordCodePoint } from './text-fold';
import type { TopicModel, TopicVerdict } from './topic-model';
import type { TopicSideName } from './topic-profile';
import { itemTopicTerms } from './topic-terms';
import type { Entity, EntityMatch, Evidence, TextField } from './types';

export interface MatchableItem {
  title: string;
  summary?: string;
  content?: string;
  /** Where the item comes from: an exclude in the link's host or path, or in the publisher's name, vetoes bare names. */
  link?: string;
  canonicalLink?: string;
  publisher?: string;
}

/**
 * An entity whose identity in the item was certain either way: what its topic profile may learn from, by the item's
 * topic terms (itemTopicTerms), which the learner reads only for an item it has not learned from yet.
 */
export interface TopicObservation {
  entityId: string;
  side: TopicSideName;
}

export interface MatchContext {
  /** The feed's name, which an exclude vetoes bare names in too. */
  feed?: string;
  /**
   * Entity ids the feed's own search names in full (core/feed-subjects.ts): a bare term or surname of theirs counts
   * in its items, as beside a context phrase, unless the item names a look-alike.
   */
  about?: readonly string[];
  /** Receives one observation per entity with ambiguous terms whose identity the item settled without the profile. */
  observations?: TopicObservation[];
  /** Receives why each entity the item names did not count (`match --explain`): a user's missed alert, explained. */
  refusals?: Refusal[];
}

export type { RefusalReason } from './match-refusal';

export interface Refusal {
  entityId: string;
  phrase: string;
  reason: RefusalReason;
  /** For `topic`: the score, the margin (negative: short of counting) and the terms the profile knows. */
  topic?: Evidence['topic'];
}

export interface Matcher {
  /** Entities found in the item, in watchlist order, each with the evidence that made it count. */
  match(item: MatchableItem, context?: MatchContext): EntityMatch[];
}

export interface CompiledMatcher extends Matcher {
  /** The same automaton, deciding bare ambiguous names with this topic model (none: context phrases only). */
  withTopics(topics: TopicModel | undefined): CompiledMatcher;
}

/** How one entity uses a pattern that names it (several entities may share the same folded text). */
interface NamingUse {
  entity: number;
  kind: 'alias' | 'ambiguous';
  phrase: string;
  /** A one-word alias that is the entity's surname, which the name rules may find is someone else's. */
  surname: boolean;
}

interface Naming {
  use: NamingUse;
  hit: Hit;
}

const FIELDS: readonly TextField[] = ['title', 'summary', 'content'];
/** The hit field of an item's link, publisher and feed name: only excludes are looked for there. */
const SOURCE_FIELD = FIELDS.length;
/** Terms shown in evidence for a bare name the profile let in: the heaviest tell the story. */
const TOPIC_EVIDENCE_TERMS = 6;
const SPACE = 0x20;
/**
 * A one-word capitalized alias that ends the entity's name of several words: a person's surname ("Raffensperger" of
 * "Brad Raffensperger"), not a company's name ("Microsoft"), which goes before product names.
 */
function isSurname(alias: string, name: string): boolean {
  const words = name.trim().split(/\s+/u);
  return /^\p{Lu}\p{Ll}+$/u.test(alias) && words.length > 1 && words.at(-1)!.toLowerCase() === alias.toLowerCase();
}
const household = ({ hit }: Naming, texts: readonly string[]) => namesHousehold(texts[hit.field]!, hit);

/**
 * Compiles the entities' aliases, ambiguous terms, context phrases and excludes into one automaton.
 *
 * Rules, per entity and item:
 * - an alias counts unless it lies inside one of the entity's exclude hits;
 * - an ambiguous term never counts inside an exclude hit ("Brian Krebs") or right after an honorific or another given
 *   name ("Dr. Krebs", "Tom Krebs": see namesSomeoneElse), nor anywhere in an item whose link, publisher or feed name
 *   holds one of the entity's excludes ("krebsonsecurity.com", "Krebs on Security");
 * - otherwise it counts if one of the entity's context phrases occurs in the item (title, summary or content) outside
 *   the entity's exclude hits; but once the item names a look-alike (an exclude hit, or a surname after another given
 *   name), a bare term elsewhere in it most likely means the look-alike too ("Brian Krebs ... Krebs found"), so it
 *   counts only with a context phrase touching it ("CISA's Krebs", "Georgia's Sterling");
 * - with no context phrase and no look-alike named, it counts unless the item's words lean away from the entity's
 *   topic profile (topic-model.ts: the threshold, and at least one term the profile knows);
 * - every hit needs word boundaries: the characters outside a phrase's letter/digit ends are not letters or digits.
 */
/** A phrase folded, spaces and punctuation dropped: "Krebs on Security" holds "krebs" as "krebsonsecurity" does. */
const squeeze = (phrase: string) => foldPhrase(phrase).replace(/[^\p{L}\p{N}]+/gu, '');

export function compileMatcher(entities: Entity[], options: { topics?: TopicModel } = {}): CompiledMatcher {
  const patternIds = new Map<string, number>();
  const patterns: string[] = [];
  const naming: NamingUse[][] = [];
  // Context and exclude phrases per entity, by pattern id: consulted only for entities that something named.
  const contextOf = entities.map(() => new Map<number, string>());
  const excludeOf = entities.map(() => new Set<number>());
  const excludePhrases = new Map<number, string[]>();
  const sourceExcludeOf = entities.map(() => new Set<number>());
  const patternId = (phrase: string): number | undefined => {
    const folded = foldPhrase(phrase);
    if (folded === '') return undefined;
    let id = patternIds.get(folded);
    if (id === undefined) {
      id = patterns.length;
      patternIds.set(folded, id);
      patterns.push(folded);
      naming.push([]);
    }
    return id;
  };
  entities.forEach((entity, index) => {
    for (const [kind, phrases] of [
      ['alias', entity.aliases],
      ['ambiguous', entity.ambiguous],
    ] as const) {
      for (const phrase of phrases) {
        const id = patternId(phrase);
        if (id === undefined) continue;
        const uses = naming[id]!;
        if (!uses.some((use) => use.entity === index && use.kind === kind))
          uses.push({ entity: index, kind, phrase, surname: kind === 'alias' && isSurname(phrase, entity.name) });
      }
    }
    for (const phrase of entity.context) {
      const id = patternId(phrase);
      if (id !== undefined && !contextOf[index]!.has(id)) contextOf[index]!.set(id, phrase);
    }
    // Only a look-alike's own name ("KrebsOnSecurity", "krebsonsecurity.com") says a source is the look-alike's: "The
    // CPA Journal" or "Georgia Tech News Center" may report on the tracked entity too.
    const terms = entity.ambiguous.map(squeeze).filter((term) => term !== '');
    for (const phrase of entity.excludes) {
      const id = patternId(phrase);
      if (id === undefined) continue;
      excludeOf[index]!.add(id);
      excludePhrases.set(id, [...(excludePhrases.get(id) ?? []), phrase]);
      if (terms.some((term) => squeeze(phrase).includes(term))) sourceExcludeOf[index]!.add(id);
    }
  });
  const automaton = new Automaton(patterns);
  const boundedStart = patterns.map((pattern) => isWordCodePoint(pattern.codePointAt(0)!));
  const boundedEnd = patterns.map((pattern) => isWordCodePoint(Array.from(pattern).at(-1)!.codePointAt(0)!));
  const patternLength = patterns.map((pattern) => pattern.length);
  // Folding made a dash a space and dropped a possessive: an exclude of several words may span one, which none should.
  const phraseBreak = patterns.map((pattern, id) => {
    const phrases = excludePhrases.get(id);
    return phrases && pattern.includes(' ') ? excludeBreak(phrases) : undefined;
  });
  const hasAmbiguous = entities.map((entity) => entity.ambiguous.length > 0);
  // The entity's own given names never make a surname alias someone else's ("Brad Raffensperger").
  /** The lower-case words of some of an entity's phrases. */
  const wordsOf = (phrases: readonly string[]) =>
    new Set(phrases.flatMap((phrase) => phrase.toLowerCase().split(/[^\p{L}]+/u)));
  const ownNames = entities.map((entity) => wordsOf([entity.name, ...entity.aliases]));
  // An occupation the entity's own phrases use ("coach") never makes its surname someone else's.
  const ownJobs = entities.map((entity) =>
    ownOccupations([entity.name, ...entity.aliases, ...entity.context, ...(entity.topics ?? [])]),
  );
  // Words of the entity's own context and topics: an office it held is not a namesake's honorific.
  const ownWords = entities.map((entity) => wordsOf([...entity.context, ...(entity.topics ?? [])]));
  const occupation = ({ hit }: Naming, texts: readonly string[], entity: number) =>
    occupationOf(texts[hit.field]!, hit, { jobs: ownJobs[entity]!, names: ownNames[entity]! });
  // A surname alias after another given name ("Tom Raffensperger") or introduced by another walk of life.
  const surnameOfSomeoneElse = (n: Naming, texts: readonly string[], entity: number) =>
    aliasNamesSomeoneElse(texts[n.hit.field]!, n.hit, n.use.phrase, ownNames[entity]!, ownWords[entity]) ||
    occupation(n, texts, entity) !== undefined;
  const folded = new FoldedText();

  function collectHits(text: string, field: number, hits: Hit[]): void {
    folded.fold(text);
    const { codes, length } = folded;
    const count = automaton.scan(codes, length);
    for (let index = 0; index < count; index++) {
      const { pattern, end } = automaton.hit(index);
      const start = end - patternLength[pattern]!;
      if (boundedStart[pattern] && start > 0 && isWordCodePoint(codePointBefore(codes, start))) continue;
      if (boundedEnd[pattern] && end < length && isWordCodePoint(codePointAt(codes, end, length))) continue;
      const [from, to] = [folded.start[start]!, folded.originalEnd(end - 1)];
      const notAPhrase = phraseBreak[pattern]?.test(text.slice(from, to)) === true;
      hits.push({
        pattern,
        field,
        foldedStart: start,
        foldedEnd: end,
        start: from,
        end: to,
        spaceBefore: start > 0 && codes[start - 1] === SPACE,
        ...(notAPhrase && { notAPhrase }),
      });
    }
  }

  /** Hits in publisher and feed names, which repeat from item to item: a poll reads a few hundred names at most. */
  const nameHits = new Map<string, Hit[]>();

  /** Hits in the item's link (host and path), publisher and feed name, each read as words. */
  function sourceHits(item: MatchableItem, feed: string | undefined): Hit[] {
    const hits: Hit[] = [];
    const link = item.canonicalLink ?? item.link;
    if (link)
      collectHits(
        link
          .replace(/^[a-z][a-z\d+.-]*:\/\//i, '')
          .replace(/[?#].*$/s, '')
          .replace(/[/_+=%]/g, ' '),
        SOURCE_FIELD,
        hits,
      );
    for (const name of item.publisher === feed ? [feed] : [item.publisher, feed]) {
      if (!name) continue;
      let found = nameHits.get(name);
      if (!found) {
        if (nameHits.size >= 1_000) nameHits.clear();
        found = [];
        collectHits(name, SOURCE_FIELD, found);
        nameHits.set(name, found);
      }
      hits.push(...found);
    }
    return hits;
  }

  function matcherWith(topics: TopicModel | undefined): CompiledMatcher {
    return {
      withTopics: matcherWith,
      match(item, context = {}) {
        const texts = [item.title, item.summary ?? '', item.content ?? ''];
        const hits: Hit[] = [];
        texts.forEach((text, field) => {
          if (text !== '') collectHits(text, field, hits);
        });
        const named = new Set<number>();
        for (const hit of hits) for (const use of naming[hit.pattern]!) named.add(use.entity);
        const { observations } = context;
        let source: Hit[] | undefined;
        let itemTerms: string[] | undefined;

        const matches: EntityMatch[] = [];
        for (const entityIndex of [...named].sort((a, b) => a - b)) {
          const entityId = entities[entityIndex]!.id;
          // The feed's search found the full name in the item: the name rules have nothing to decide.
          const searched = context.about?.includes(entityId) === true;
          const excludes = hits.filter((hit) => excludeOf[entityIndex]!.has(hit.pattern) && !hit.notAPhrase);
          const outsideExcludes = (hit: Hit) => !excludes.some((exclude) => inside(hit, exclude));
          const allowed = ({ hit }: Naming) => outsideExcludes(hit);
          const namings = hits.flatMap((hit) =>
            naming[hit.pattern]!.filter((use) => use.entity === entityIndex).map((use) => ({ use, hit })),
          );
          const allowedAliases = namings.filter((n) => n.use.kind === 'alias' && allowed(n));
          // "Brad Raffensperger" also contains the alias "Raffensperger": one piece of evidence is enough.
          const aliases = allowedAliases.filter(
            (n) =>
              !allowedAliases.some((outer) => outer !== n && strictlyInside(n.hit, outer.hit)) &&
              !(n.use.surname && !searched && surnameOfSomeoneElse(n, texts, entityIndex)),
          );
          const bare = namings.filter(
            (n) => n.use.kind === 'ambiguous' && allowed(n) && !aliases.some((alias) => inside(n.hit, alias.hit)),
          );
          const learns = observations !== undefined && hasAmbiguous[entityIndex]!;
          const profiled = topics?.has(entityId) === true;
          // Where the item comes from is read only for an entity with a bare term, the only kind it can veto.
          if (bare.length > 0 && source === undefined) source = sourceHits(item, context.feed);
          const sourceVeto = bare.length > 0 && source!.some((hit) => sourceExcludeOf[entityIndex]!.has(hit.pattern));
          const contexts =
            bare.length === 0
              ? []
              : hits.filter((hit) => contextOf[entityIndex]!.has(hit.pattern) && outsideExcludes(hit));
          const touchingContext = (hit: Hit) =>
            contexts.find((context) => touching(context, hit)) ?? contexts.find((context) => touching(hit, context));
          // A context phrase right before the term is its title or place ("Georgia Sterling"), never a given name.
          // Without a context phrase, a profile or a lesson to draw, no bare term can count, so the name rules
          // (regexes over the text) are not run.
          const others =
            searched || (contexts.length === 0 && !profiled && !learns)
              ? []
              : bare.filter(
                  (n) =>
                    !contexts.some((context) => touching(context, n.hit)) &&
                    (namesSomeoneElse(texts[n.hit.field]!, n.hit, ownWords[entityIndex], n.use.phrase) ||
                      namesSomethingElse(texts[n.hit.field]!, n.hit, n.use.phrase, ownWords[entityIndex])),
                );
          // A relative named in full is someone else by the name, but no look-alike: the bare surname is still theirs.
          const lookalikes = others.filter((n) => !namesRelative(texts[n.hit.field]!, n.hit));
          const namesLookalike = excludes.length > 0 || lookalikes.length > 0 || sourceVeto;
          const candidates = sourceVeto ? [] : bare.filter((n) => !others.includes(n));
          let ambiguous: (Naming & { context?: string; topic?: TopicVerdict })[] = candidates.flatMap((n) => {
            const near = namesLookalike ? touchingContext(n.hit) : contexts[0];
            if (near) return [{ ...n, context: contextOf[entityIndex]!.get(near.pattern)! }];
            return searched && !namesLookalike ? [{ ...n, context: `feed: ${context.feed ?? entityId}` }] : [];
          });
          const certain = aliases.length > 0 || ambiguous.length > 0;
          // A household noun after the surname ("Masterson ranch") or another walk of life ("volleyball coach
          // Masterson") keeps the profile from admitting it (read only for an item the profile would admit).
          const judged = certain || namesLookalike || !profiled ? [] : candidates.filter((n) => !household(n, texts));
          let verdict: TopicVerdict | undefined;
          if (judged.length > 0) {
            itemTerms ??= itemTopicTerms(item, context.feed);
            verdict = topics!.judge(entityId, itemTerms)!;
            if (verdict.counts) {
              const admitted = judged.filter((n) => occupation(n, texts, entityIndex) === undefined);
              ambiguous = admitted.map((n) => ({ ...n, topic: verdict }));
            }
          }
          // A lesson only from an item the rules settled on their own, never from one the profile let in.
          if (learns && certain !== namesLookalike) {
            observations.push({ entityId, side: certain ? 'about' : 'other' });
          }
          const counted: (Naming & { context?: string; topic?: TopicVerdict })[] = [...aliases, ...ambiguous].sort(
            (a, b) => a.hit.field - b.hit.field || a.hit.start - b.hit.start,
          );
          if (counted.length === 0) {
            if (context.refusals) {
              const reason = refusalReason({
                anyBare: bare.length > 0,
                aliasRefused: allowedAliases.length > 0,
                sourceVeto,
                candidates: candidates.length,
                namesLookalike,
                profiled,
                judged: verdict !== undefined,
                unknownWords: verdict !== undefined && verdict.terms.length === 0,
                occupation: (bare.length > 0 ? candidates : allowedAliases).some(
                  (n) => occupation(n, texts, entityIndex) !== undefined,
                ),
              });
              const phrase = (bare[0] ?? namings[0]!).use.phrase;
              context.refusals.push({ entityId, phrase, reason, ...(verdict && { topic: topicEvidence(verdict) }) });
            }
            continue;
          }
          const evidence = counted.map(
            ({ use, hit, context, topic }): Evidence => ({
              entityId,
              phrase: use.phrase,
              kind: use.kind,
              field: FIELDS[hit.field]!,
              start: hit.start,
              end: hit.end,
              snippet: snippetAround(texts[hit.field]!, hit.start, hit.end),
              ...(use.kind === 'ambiguous' && context ? { context } : {}),
              ...(topic ? { topic: topicEvidence(topic) } : {}),
            }),
          );
          matches.push({ entityId, evidence });
        }
        return matches;
      },
    };
  }

  return matcherWith(options.topics);
}

/** A topic verdict as evidence shows it: the score, the margin and the heaviest terms. */
function topicEvidence(verdict: TopicVerdict): NonNullable<Evidence['topic']> {
  const terms = verdict.terms.slice(0, TOPIC_EVIDENCE_TERMS);
  const evidence = { score: verdict.score, margin: verdict.margin, terms };
  return verdict.ownScore === undefined ? evidence : { ...evidence, ownScore: verdict.ownScore };
}
