// The matcher as it was before topic profiles and source excludes: the baseline bench/matcher.ts times beside it.
// Its automaton, hit and name rules are the current modules, unchanged since; only the compile and match logic differ.
import { Automaton, codePointAt, codePointBefore } from '../../lambda/core/match-automaton';
import { type Hit, inside, snippetAround, strictlyInside, touching } from '../../lambda/core/match-hits';
import { namesSomeoneElse } from '../../lambda/core/match-names';
import { FoldedText, foldPhrase, isWordCodePoint } from '../../lambda/core/text-fold';
import type { Entity, EntityMatch, Evidence, TextField } from '../../lambda/core/types';

export interface MatchableItem {
  title: string;
  summary?: string;
  content?: string;
}

export interface Matcher {
  /** Entities found in the item, in watchlist order, each with the evidence that made it count. */
  match(item: MatchableItem): EntityMatch[];
}

/** How one entity uses a pattern that names it (several entities may share the same folded text). */
interface NamingUse {
  entity: number;
  kind: 'alias' | 'ambiguous';
  phrase: string;
}

interface Naming {
  use: NamingUse;
  hit: Hit;
}

const FIELDS: readonly TextField[] = ['title', 'summary', 'content'];
const SPACE = 0x20;

/**
 * Compiles the entities' aliases, ambiguous terms, context phrases and excludes into one automaton.
 *
 * Rules, per entity and item:
 * - an alias counts unless it lies inside one of the entity's exclude hits;
 * - an ambiguous term never counts inside an exclude hit ("Brian Krebs") or right after an honorific or another given
 *   name ("Dr. Krebs", "Tom Krebs": see namesSomeoneElse);
 * - otherwise it counts if one of the entity's context phrases occurs in the item (title, summary or content) outside
 *   the entity's exclude hits; but once the item names a look-alike (an exclude hit, or a surname after another given
 *   name), a bare term elsewhere in it most likely means the look-alike too ("Brian Krebs ... Krebs found"), so it
 *   counts only with a context phrase touching it ("CISA's Krebs", "Georgia's Sterling");
 * - every hit needs word boundaries: the characters outside a phrase's letter/digit ends are not letters or digits.
 */
export function compileMatcherBefore(entities: Entity[]): Matcher {
  const patternIds = new Map<string, number>();
  const patterns: string[] = [];
  const naming: NamingUse[][] = [];
  // Context and exclude phrases per entity, by pattern id: consulted only for entities that something named.
  const contextOf = entities.map(() => new Map<number, string>());
  const excludeOf = entities.map(() => new Set<number>());
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
        if (!uses.some((use) => use.entity === index && use.kind === kind)) uses.push({ entity: index, kind, phrase });
      }
    }
    for (const phrase of entity.context) {
      const id = patternId(phrase);
      if (id !== undefined && !contextOf[index]!.has(id)) contextOf[index]!.set(id, phrase);
    }
    for (const phrase of entity.excludes) {
      const id = patternId(phrase);
      if (id !== undefined) excludeOf[index]!.add(id);
    }
  });
  const automaton = new Automaton(patterns);
  const boundedStart = patterns.map((pattern) => isWordCodePoint(pattern.codePointAt(0)!));
  const boundedEnd = patterns.map((pattern) => isWordCodePoint(Array.from(pattern).at(-1)!.codePointAt(0)!));
  const patternLength = patterns.map((pattern) => pattern.length);
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
      hits.push({
        pattern,
        field,
        foldedStart: start,
        foldedEnd: end,
        start: folded.start[start]!,
        end: folded.originalEnd(end - 1),
        spaceBefore: start > 0 && codes[start - 1] === SPACE,
      });
    }
  }

  return {
    match(item) {
      const texts = [item.title, item.summary ?? '', item.content ?? ''];
      const hits: Hit[] = [];
      texts.forEach((text, field) => {
        if (text !== '') collectHits(text, field, hits);
      });
      const named = new Set<number>();
      for (const hit of hits) for (const use of naming[hit.pattern]!) named.add(use.entity);

      const matches: EntityMatch[] = [];
      for (const entityIndex of [...named].sort((a, b) => a - b)) {
        const excludes = hits.filter((hit) => excludeOf[entityIndex]!.has(hit.pattern));
        const outsideExcludes = (hit: Hit) => !excludes.some((exclude) => inside(hit, exclude));
        const allowed = ({ hit }: Naming) => outsideExcludes(hit);
        const namings = hits.flatMap((hit) =>
          naming[hit.pattern]!.filter((use) => use.entity === entityIndex).map((use) => ({ use, hit })),
        );
        const allowedAliases = namings.filter((n) => n.use.kind === 'alias' && allowed(n));
        // "Brad Raffensperger" also contains the alias "Raffensperger": one piece of evidence is enough.
        const aliases = allowedAliases.filter(
          (n) => !allowedAliases.some((outer) => outer !== n && strictlyInside(n.hit, outer.hit)),
        );
        const bare = namings.filter(
          (n) => n.use.kind === 'ambiguous' && allowed(n) && !aliases.some((alias) => inside(n.hit, alias.hit)),
        );
        const contexts =
          bare.length === 0
            ? []
            : hits.filter((hit) => contextOf[entityIndex]!.has(hit.pattern) && outsideExcludes(hit));
        const touchingContext = (hit: Hit) =>
          contexts.find((context) => touching(context, hit)) ?? contexts.find((context) => touching(hit, context));
        // A context phrase right before the term is its title or place ("Georgia Sterling"), never a given name.
        // Without any context phrase no bare term counts, so the name rules (regexes over the text) are not run.
        const others =
          contexts.length === 0
            ? []
            : bare.filter(
                (n) =>
                  !contexts.some((context) => touching(context, n.hit)) && namesSomeoneElse(texts[n.hit.field]!, n.hit),
              );
        const namesLookalike = excludes.length > 0 || others.length > 0;
        const ambiguous = bare.flatMap((n) => {
          if (others.includes(n)) return [];
          const context = namesLookalike ? touchingContext(n.hit) : contexts[0];
          return context ? [{ ...n, context: contextOf[entityIndex]!.get(context.pattern)! }] : [];
        });
        const counted: (Naming & { context?: string })[] = [...aliases, ...ambiguous].sort(
          (a, b) => a.hit.field - b.hit.field || a.hit.start - b.hit.start,
        );
        if (counted.length === 0) continue;
        const entityId = entities[entityIndex]!.id;
        const evidence = counted.map(
          ({ use, hit, context }): Evidence => ({
            entityId,
            phrase: use.phrase,
            kind: use.kind,
            field: FIELDS[hit.field]!,
            start: hit.start,
            end: hit.end,
            snippet: snippetAround(texts[hit.field]!, hit.start, hit.end),
            ...(use.kind === 'ambiguous' && context ? { context } : {}),
          }),
        );
        matches.push({ entityId, evidence });
      }
      return matches;
    },
  };
}
