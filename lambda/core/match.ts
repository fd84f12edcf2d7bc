// Finds tracked entities in an item's title, summary and content with one Aho-Corasick automaton over folded text.
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

/** An entity whose identity in the item was certain either way: what its topic profile may learn from. */
export interface TopicObservation {
  entityId: string;
  side: TopicSideName;
  /** The item's topic terms (itemTopicTerms). */
  terms: string[];
}

export interface MatchContext {
  /** The feed's name, which an exclude vetoes bare names in too. */
  feed?: string;
  /** Receives one observation per entity with ambiguous terms whose identity the item settled without the profile. */
  observations?: TopicObservation[];
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
}

/** A pattern occurrence in one field that passed the word-boundary check. */
interface Hit {
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
const SNIPPET_RADIUS = 60;
const NO_NODE = -1;
const SPACE = 0x20;

/**
 * Nodes this close to the root get a dense row of complete transitions (failure links already followed): text is read
 * at or near the root almost all the time, so most characters cost one array read whatever the number of patterns,
 * while the rows stay few (at most 1 + A + A² for an alphabet of A symbols).
 */
const DENSE_DEPTH = 2;
/**
 * ...up to this many cells in all (16 MB): phrases in a large alphabet (thousands of CJK characters) would otherwise
 * make rows that wide by as many. Rows go to the shallowest nodes first, so a node's failure target always has one.
 */
const DENSE_CELL_BUDGET = 1 << 22;

/**
 * The automaton in flat typed arrays: nodes up to DENSE_DEPTH have dense rows of complete transitions, deeper nodes a
 * sorted slice of `edgeSymbol`/`edgeTarget` and a failure link. Characters are first mapped to a small alphabet of the
 * code units that occur in patterns; any other character sends the automaton back to the root.
 */
class Automaton {
  private readonly symbolOf = new Uint16Array(65536);
  /** Symbols per dense row: the alphabet plus symbol 0 (a character in no pattern). */
  private readonly width: number;
  /** Row of complete transitions for each dense node, `width` entries per row; row 0 is the root's. */
  private readonly dense: Int32Array;
  /** Each node's row in `dense`, or NO_NODE for a sparse (deep) node. */
  private readonly denseRow: Int32Array;
  private readonly edgeStart: Int32Array;
  private readonly edgeSymbol: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly fail: Int32Array;
  /** The nearest node (itself included) along the failure chain that ends a pattern, or NO_NODE. */
  private readonly report: Int32Array;
  /** For a pattern-ending node: the next pattern-ending node along its failure chain. */
  private readonly nextReport: Int32Array;
  /** Pattern id ended by each node, or NO_NODE. */
  private readonly terminal: Int32Array;
  private hitPattern = new Int32Array(64);
  private hitEnd = new Int32Array(64);

  constructor(patterns: readonly string[]) {
    const units = new Set<number>();
    for (const pattern of patterns) for (let i = 0; i < pattern.length; i++) units.add(pattern.charCodeAt(i));
    const alphabet = [...units].sort((a, b) => a - b);
    alphabet.forEach((code, index) => {
      this.symbolOf[code] = index + 1;
    });
    const nodeLimit = patterns.reduce((sum, pattern) => sum + pattern.length, 1);
    const parent = new Int32Array(nodeLimit);
    const symbol = new Uint16Array(nodeLimit);
    this.terminal = new Int32Array(nodeLimit).fill(NO_NODE);
    const nodeCount = this.buildTrie(patterns, parent, symbol);

    // Children grouped by parent; sorted insertion made each parent's children ascend by symbol already.
    this.edgeStart = new Int32Array(nodeCount + 1);
    for (let node = 1; node < nodeCount; node++) this.edgeStart[parent[node]! + 1]!++;
    for (let node = 0; node < nodeCount; node++) this.edgeStart[node + 1]! += this.edgeStart[node]!;
    this.edgeSymbol = new Uint16Array(nodeCount);
    this.edgeTarget = new Int32Array(nodeCount);
    const fill = this.edgeStart.slice(0, nodeCount);
    for (let node = 1; node < nodeCount; node++) {
      const slot = fill[parent[node]!]!++;
      this.edgeSymbol[slot] = symbol[node]!;
      this.edgeTarget[slot] = node;
    }
    this.width = alphabet.length + 1;
    const depth = new Uint8Array(nodeCount);
    let denseCount = 0;
    this.denseRow = new Int32Array(nodeCount).fill(NO_NODE);
    // First pass, breadth-first: depths, and which nodes get a dense row.
    this.fail = new Int32Array(nodeCount);
    this.report = new Int32Array(nodeCount).fill(NO_NODE);
    this.nextReport = new Int32Array(nodeCount).fill(NO_NODE);
    const queue = new Int32Array(nodeCount);
    queue[0] = 0;
    for (let head = 0, tail = 1; head < tail; head++) {
      const node = queue[head]!;
      if (depth[node]! <= DENSE_DEPTH && (denseCount + 1) * this.width <= DENSE_CELL_BUDGET) {
        this.denseRow[node] = denseCount++;
      }
      for (let edge = this.edgeStart[node]!; edge < this.edgeStart[node + 1]!; edge++) {
        const child = this.edgeTarget[edge]!;
        depth[child] = Math.min(depth[node]! + 1, 255);
        queue[tail++] = child;
      }
    }
    this.dense = new Int32Array(denseCount * this.width);

    // Breadth-first, so a node's failure target (always shallower) has its row and links before the node needs them.
    for (let head = 0; head < nodeCount; head++) {
      const node = queue[head]!;
      const row = this.denseRow[node]!;
      if (row !== NO_NODE) {
        const base = row * this.width;
        const fallback = node === 0 ? NO_NODE : this.denseRow[this.fail[node]!]! * this.width;
        for (let symbol = 1; symbol < this.width; symbol++) {
          this.dense[base + symbol] = fallback === NO_NODE ? 0 : this.dense[fallback + symbol]!;
        }
        for (let edge = this.edgeStart[node]!; edge < this.edgeStart[node + 1]!; edge++) {
          this.dense[base + this.edgeSymbol[edge]!] = this.edgeTarget[edge]!;
        }
      }
      for (let edge = this.edgeStart[node]!; edge < this.edgeStart[node + 1]!; edge++) {
        const child = this.edgeTarget[edge]!;
        const failure = node === 0 ? 0 : this.step(this.fail[node]!, this.edgeSymbol[edge]!);
        this.fail[child] = failure;
        this.report[child] = this.terminal[child]! >= 0 ? child : this.report[failure]!;
        this.nextReport[child] = this.report[failure]!;
      }
    }
  }

  /** Inserts patterns in sorted order, so only the previous pattern's path can share a prefix: no lookups needed. */
  private buildTrie(patterns: readonly string[], parent: Int32Array, symbol: Uint16Array): number {
    const order = patterns.map((_, index) => index);
    order.sort((a, b) => (patterns[a]! < patterns[b]! ? -1 : patterns[a]! > patterns[b]! ? 1 : 0));
    const path = [0];
    let previous = '';
    let nodeCount = 1;
    for (const patternId of order) {
      const pattern = patterns[patternId]!;
      let shared = 0;
      while (shared < pattern.length && shared < previous.length && pattern[shared] === previous[shared]) shared++;
      for (let depth = shared; depth < pattern.length; depth++) {
        const node = nodeCount++;
        parent[node] = path[depth]!;
        symbol[node] = this.symbolOf[pattern.charCodeAt(depth)]!;
        path[depth + 1] = node;
      }
      this.terminal[path[pattern.length]!] = patternId;
      previous = pattern;
    }
    return nodeCount;
  }

  /** The goto function with failure links: the node reached from `node` on `symbol`. */
  private step(node: number, symbol: number): number {
    for (let current = node; ; current = this.fail[current]!) {
      const row = this.denseRow[current]!;
      if (row !== NO_NODE) return this.dense[row * this.width + symbol]!;
      for (let edge = this.edgeStart[current]!, end = this.edgeStart[current + 1]!; edge < end; edge++) {
        if (this.edgeSymbol[edge] === symbol) return this.edgeTarget[edge]!;
      }
    }
  }

  /** One pass over the folded text; returns how many hits were written to `hitPattern`/`hitEnd`. */
  scan(codes: Uint16Array, length: number): number {
    const { symbolOf, report, nextReport, terminal, dense, denseRow, width } = this;
    let hits = 0;
    let node = 0;
    for (let index = 0; index < length; index++) {
      const symbol = symbolOf[codes[index]!]!;
      const row = denseRow[node]!;
      node = row !== NO_NODE ? dense[row * width + symbol]! : this.step(node, symbol);
      for (let found = report[node]!; found !== NO_NODE; found = nextReport[found]!) {
        if (hits === this.hitPattern.length) this.growHits();
        this.hitPattern[hits] = terminal[found]!;
        this.hitEnd[hits] = index + 1;
        hits++;
      }
    }
    return hits;
  }

  hit(index: number): { pattern: number; end: number } {
    return { pattern: this.hitPattern[index]!, end: this.hitEnd[index]! };
  }

  private growHits(): void {
    const pattern = new Int32Array(this.hitPattern.length * 2);
    pattern.set(this.hitPattern);
    const end = new Int32Array(this.hitEnd.length * 2);
    end.set(this.hitEnd);
    this.hitPattern = pattern;
    this.hitEnd = end;
  }
}

function codePointBefore(codes: Uint16Array, index: number): number {
  const unit = codes[index - 1]!;
  if (unit >= 0xdc00 && unit <= 0xdfff && index >= 2) {
    const high = codes[index - 2]!;
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (unit - 0xdc00) + 0x10000;
  }
  return unit;
}

function codePointAt(codes: Uint16Array, index: number, length: number): number {
  const unit = codes[index]!;
  if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < length) {
    const low = codes[index + 1]!;
    if (low >= 0xdc00 && low <= 0xdfff) return (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return unit;
}

/** About SNIPPET_RADIUS characters either side of the hit, cut at spaces where possible, ellipsised when cut. */
function snippetAround(text: string, start: number, end: number): string {
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

function inside(inner: Hit, outer: Hit): boolean {
  return inner.field === outer.field && outer.foldedStart <= inner.foldedStart && inner.foldedEnd <= outer.foldedEnd;
}

function strictlyInside(inner: Hit, outer: Hit): boolean {
  return inside(inner, outer) && outer.foldedEnd - outer.foldedStart > inner.foldedEnd - inner.foldedStart;
}

/** Phrases that touch: the same field, one space apart, `first` before `second` ("CISA's Krebs", "Georgia's Sterling"). */
function touching(first: Hit, second: Hit): boolean {
  return first.field === second.field && first.foldedEnd + 1 === second.foldedStart && second.spaceBefore;
}

/** How far back the name rules look: a few words, so long content is not rescanned for every hit. */
const LOOK_BEHIND = 48;

/** The text just before `end`, cut back to at most LOOK_BEHIND characters and then to the start of a word. */
function tail(text: string, end: number): string {
  const from = end - LOOK_BEHIND;
  if (from <= 0) return text.slice(0, end);
  const space = text.slice(from, end).search(/\s/u);
  return space === -1 ? '' : text.slice(from + space, end);
}

/** Honorifics none of the tracked people go by: "Dr. Krebs" is someone else (an alias can still say "Dr. X"). */
const HONORIFIC_BEFORE = /(?:^|[^\p{L}\p{N}])(?:dr|prof|professor|mrs|ms|miss)\.?[ \t\u00a0]+$/iu;
/** A capitalized word (one capital, then small letters) right before the hit, one run of spaces between. */
const CAPITALIZED_WORD_BEFORE = /(?:^|[\s"\u201c\u2018([])(\p{Lu}\p{Ll}+)[ \t\u00a0]+$/u;
/**
 * Capitalized words that can stand right before a tracked person's surname without being a given name: titles and
 * roles ("Director Krebs", "Adviser Masterson"), and days ("On Tuesday Krebs said").
 */
const NOT_GIVEN_NAMES = new Set(
  (
    'mr mister sir director chief head secretary official officials adviser advisor manager officer cofounder founder ' +
    'partner fellow deputy acting former ex commissioner chairman chair agency senator sen representative rep ' +
    'governor gov president vice monday tuesday wednesday thursday friday saturday sunday today yesterday tonight'
  ).split(' '),
);
/** How much text either side of a name decides whether it is title-cased. */
const TITLE_CASE_RADIUS = 160;
/** Words that neither make nor break title case. */
const MINOR_WORDS = new Set(
  'a an the and or nor but of in on at to for by as vs via per from with into onto over after up off out is are'.split(
    ' ',
  ),
);

/** A heading where (almost) every word is capitalized: capitals there say nothing about names. */
function looksTitleCased(text: string, skipFrom: number, skipTo: number): boolean {
  let capitalized = 0;
  let lower = 0;
  for (const word of text.matchAll(/\p{L}[\p{L}\p{M}\p{N}'\u2019]*/gu)) {
    const at = word.index;
    if ((at >= skipFrom && at < skipTo) || MINOR_WORDS.has(word[0].toLowerCase())) continue;
    const first = word[0][0]!;
    if (first !== first.toLowerCase()) capitalized++;
    else if (first !== first.toUpperCase()) lower++;
  }
  return lower === 0 || capitalized >= 4 * lower;
}

/** Whether `before` ends a sentence or heading part, so the next word is capitalized whatever it is. */
function endsSentence(before: string): boolean {
  const trimmed = before.trimEnd();
  if (trimmed === '') return true;
  const last = trimmed.at(-1)!;
  if (':;!?"“”‘’\'([{—–|-'.includes(last)) return true;
  if (last !== '.') return false;
  // "Dr." "Sen." "U.S." and initials abbreviate; a period after any other word ends a sentence.
  const word = /(\S+)\.$/u.exec(trimmed)?.[1] ?? '';
  return !/^\p{Lu}\p{L}{0,3}$/u.test(word) && !word.includes('.');
}

/**
 * Whether a bare ambiguous hit is preceded by something that makes it another person: an honorific ("Dr. Krebs"), or
 * another given name ("Tom Krebs", "Jim Masterson"): a capitalized word that is not a title, a role or a day, not
 * capitalized only because it starts a sentence, in text that is not title-cased ("Trump Fires Krebs").
 */
function namesSomeoneElse(text: string, hit: Hit): boolean {
  const before = tail(text, hit.start);
  if (HONORIFIC_BEFORE.test(before)) return true;
  const word = CAPITALIZED_WORD_BEFORE.exec(before);
  if (!word) return false;
  const wordStart = hit.start - before.length + word.index + word[0].indexOf(word[1]!);
  if (NOT_GIVEN_NAMES.has(word[1]!.toLowerCase()) || endsSentence(tail(text, wordStart))) return false;
  // A headline is read whole; in long content, the text around the hit stands for it.
  const from = Math.max(0, wordStart - TITLE_CASE_RADIUS);
  const around = text.slice(from, Math.min(text.length, hit.end + TITLE_CASE_RADIUS));
  return !looksTitleCased(around, wordStart - from, hit.end - from);
}

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
 * - with no context phrase and no look-alike named, it counts when the item's words lean towards the entity's topic
 *   profile by the model's margin (topic-model.ts);
 * - every hit needs word boundaries: the characters outside a phrase's letter/digit ends are not letters or digits.
 */
export function compileMatcher(entities: Entity[], options: { topics?: TopicModel } = {}): CompiledMatcher {
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
  const hasAmbiguous = entities.map((entity) => entity.ambiguous.length > 0);
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
          const learns = observations !== undefined && hasAmbiguous[entityIndex]!;
          const profiled = topics?.has(entityId) === true;
          // Where the item comes from is read only for an entity with a bare term, the only kind it can veto.
          if (bare.length > 0 && source === undefined) source = sourceHits(item, context.feed);
          const sourceVeto = bare.length > 0 && source!.some((hit) => excludeOf[entityIndex]!.has(hit.pattern));
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
            contexts.length === 0 && !profiled && !learns
              ? []
              : bare.filter(
                  (n) =>
                    !contexts.some((context) => touching(context, n.hit)) &&
                    namesSomeoneElse(texts[n.hit.field]!, n.hit),
                );
          const namesLookalike = excludes.length > 0 || others.length > 0 || sourceVeto;
          const candidates = sourceVeto ? [] : bare.filter((n) => !others.includes(n));
          let ambiguous: (Naming & { context?: string; topic?: TopicVerdict })[] = candidates.flatMap((n) => {
            const context = namesLookalike ? touchingContext(n.hit) : contexts[0];
            return context ? [{ ...n, context: contextOf[entityIndex]!.get(context.pattern)! }] : [];
          });
          const certain = aliases.length > 0 || ambiguous.length > 0;
          if (!certain && !namesLookalike && candidates.length > 0 && profiled) {
            itemTerms ??= itemTopicTerms(item);
            const verdict = topics!.judge(entityId, itemTerms)!;
            if (verdict.counts) ambiguous = candidates.map((n) => ({ ...n, topic: verdict }));
          }
          // A lesson only from an item the rules settled on their own, never from one the profile let in.
          if (learns && certain !== namesLookalike) {
            itemTerms ??= itemTopicTerms(item);
            observations.push({ entityId, side: certain ? 'about' : 'other', terms: itemTerms });
          }
          const counted: (Naming & { context?: string; topic?: TopicVerdict })[] = [...aliases, ...ambiguous].sort(
            (a, b) => a.hit.field - b.hit.field || a.hit.start - b.hit.start,
          );
          if (counted.length === 0) continue;
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
              ...(topic
                ? {
                    topic: {
                      score: topic.score,
                      margin: topic.margin,
                      terms: topic.terms.slice(0, TOPIC_EVIDENCE_TERMS),
                    },
                  }
                : {}),
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
