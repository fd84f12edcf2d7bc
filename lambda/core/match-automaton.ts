// The Aho-Corasick automaton the matcher runs over folded text, in flat typed arrays (dense rows near the root).

const NO_NODE = -1;

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
export class Automaton {
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

export function codePointBefore(codes: Uint16Array, index: number): number {
  const unit = codes[index - 1]!;
  if (unit >= 0xdc00 && unit <= 0xdfff && index >= 2) {
    const high = codes[index - 2]!;
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (unit - 0xdc00) + 0x10000;
  }
  return unit;
}

export function codePointAt(codes: Uint16Array, index: number, length: number): number {
  const unit = codes[index]!;
  if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < length) {
    const low = codes[index + 1]!;
    if (low >= 0xdc00 && low <= 0xdfff) return (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return unit;
}
