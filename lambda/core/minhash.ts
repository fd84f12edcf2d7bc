// Seeded 32-bit hashing and MinHash signatures: deterministic across runs and machines (no Math.random).

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The murmur3 finalizer: spreads every input bit over the output so that `mix(x ^ seed)` acts as a seeded hash. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fixed seeds, one per hash function, derived from the index so signatures never change between releases. */
function seedFor(index: number): number {
  return mix32(Math.imul(index + 1, 0x9e3779b9));
}

/**
 * The MinHash signature of a set: for each of `size` seeded hash functions, the smallest hash over the members.
 * Two sets agree at one position with probability equal to their Jaccard similarity. An empty set gives all
 * 0xffffffff, which no real member produces at every position.
 */
export function minHash(members: readonly string[], size: number): number[] {
  const signature = new Array<number>(size).fill(0xffffffff);
  for (const member of members) {
    const base = fnv1a32(member);
    for (let i = 0; i < size; i++) {
      const value = mix32(base ^ seedFor(i));
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return signature;
}
