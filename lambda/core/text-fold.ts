// Folds text for matching (case, diacritics, quotes, dashes, whitespace) and keeps a map back to the original offsets.

const SPACE = 0x20;
const APOSTROPHE = 0x27;
const LOWER_S = 0x73;

/** Folded form of each code point that is not plain ASCII, computed once per code point. */
const nonAsciiFolds = new Map<number, string>();

const SINGLE_QUOTES = new Set([0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x02bc, 0x02b9, 0xff07, 0x00b4]);
const DOUBLE_QUOTES = new Set([0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb, 0xff02]);

/** ASCII fold: lower case; hyphen and control characters become a space; a backtick is an apostrophe. */
const ASCII_FOLD = new Uint16Array(128);
for (let code = 0; code < 128; code++) {
  if (code >= 0x41 && code <= 0x5a) ASCII_FOLD[code] = code + 0x20;
  else if (code <= SPACE || code === 0x7f || code === 0x2d) ASCII_FOLD[code] = SPACE;
  else if (code === 0x60) ASCII_FOLD[code] = 0x27;
  else ASCII_FOLD[code] = code;
}

function foldCodePoint(codePoint: number): string {
  const cached = nonAsciiFolds.get(codePoint);
  if (cached !== undefined) return cached;
  const char = String.fromCodePoint(codePoint);
  let folded: string;
  if (SINGLE_QUOTES.has(codePoint)) folded = "'";
  else if (DOUBLE_QUOTES.has(codePoint)) folded = '"';
  else if (/^[\s\p{Pd}\u2212]$/u.test(char)) folded = ' ';
  // Soft hyphens, zero-width spaces and joiners, BOMs: invisible, so they must not split or join words.
  else if (/^\p{Cf}$/u.test(char)) folded = '';
  else {
    const decomposed = char
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/\u00df/g, 'ss');
    // NFKD can yield ASCII needing its own fold (fullwidth letters, the space in U+00A0-like compatibility forms).
    folded = Array.from(decomposed, (part) => {
      const code = part.codePointAt(0)!;
      if (code < 128) return String.fromCharCode(ASCII_FOLD[code]!);
      return part === char ? part : foldCodePoint(code);
    }).join('');
  }
  nonAsciiFolds.set(codePoint, folded);
  return folded;
}

/**
 * Fast path for the common case, a BMP code unit that folds to exactly one code unit: the folded unit + 1, learned on
 * first sight (0 = not yet seen); NOT_SINGLE for surrogates and units that vanish or expand (`ß`, `ﬁ`).
 */
const SINGLE_UNIT_FOLD = new Uint16Array(65536);
const NOT_SINGLE = 0xffff;
for (let code = 0; code < 128; code++) SINGLE_UNIT_FOLD[code] = ASCII_FOLD[code]! + 1;

function learnSingleUnitFold(unit: number): number {
  const surrogate = unit >= 0xd800 && unit <= 0xdfff;
  const folded = surrogate ? '' : foldCodePoint(unit);
  const entry = folded.length === 1 && folded.charCodeAt(0) + 1 < NOT_SINGLE ? folded.charCodeAt(0) + 1 : NOT_SINGLE;
  SINGLE_UNIT_FOLD[unit] = entry;
  return entry;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Reusable buffers holding the folded form of one text: `codes[0..length)` are UTF-16 code units, `start[i]` the
 * offset in the original text of the character that produced folded unit `i` (`originalEnd(i)` is where it ends).
 */
export class FoldedText {
  codes = new Uint16Array(256);
  start = new Int32Array(256);
  length = 0;
  /**
   * The input's UTF-16 code units. Feed text reaches the matcher as a mix of string representations (flat, sliced,
   * concatenated), and charCodeAt over such a mix runs much slower than reading a copy made by Buffer.write, which
   * handles every representation natively.
   */
  private source = Buffer.alloc(512);
  private units = new Uint16Array(this.source.buffer, this.source.byteOffset, 256);

  /**
   * Folds `text` into the buffers, replacing what they held. Runs of spaces collapse to one; leading ones vanish;
   * possessive endings vanish (`Krebs's`, `Krebs’` -> `krebs`), so phrases match with or without them.
   */
  fold(text: string): this {
    const count = text.length;
    this.ensureCapacity(count + 8);
    const units = this.readUnits(text);
    let { codes, start } = this;
    let length = 0;
    let lastWasSpace = true;
    let firstApostrophe = -1;
    for (let index = 0; index < count; ) {
      const unit = units[index]!;
      const entry = SINGLE_UNIT_FOLD[unit] || learnSingleUnitFold(unit);
      if (entry !== NOT_SINGLE) {
        const folded = entry - 1;
        if (folded === SPACE) {
          if (lastWasSpace) {
            index++;
            continue;
          }
          lastWasSpace = true;
        } else {
          lastWasSpace = false;
          if (folded === APOSTROPHE && firstApostrophe < 0) firstApostrophe = length;
        }
        codes[length] = folded;
        start[length] = index;
        length++;
        index++;
        continue;
      }
      const next = index + 1 < count ? units[index + 1]! : 0;
      const pair = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
      const folded = foldCodePoint(pair ? (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000 : unit);
      // Typed arrays drop writes past their end, so keep room for this fold plus one unit per remaining input unit.
      if (length + folded.length + count - index > codes.length) {
        this.length = length;
        this.ensureCapacity(length + folded.length + count - index + 8);
        ({ codes, start } = this);
      }
      for (let part = 0; part < folded.length; part++) {
        const code = folded.charCodeAt(part);
        if (code === SPACE && lastWasSpace) continue;
        if (code === APOSTROPHE && firstApostrophe < 0) firstApostrophe = length;
        codes[length] = code;
        start[length] = index;
        length++;
        lastWasSpace = code === SPACE;
      }
      index += pair ? 2 : 1;
    }
    this.length = length;
    if (firstApostrophe >= 0) this.dropPossessives(firstApostrophe);
    return this;
  }

  /** Offset in the original text just after the character that produced folded unit `index`. */
  originalEnd(index: number): number {
    const at = this.start[index]!;
    const unit = this.units[at]!;
    const pair = unit >= 0xd800 && unit <= 0xdbff && (this.units[at + 1]! & 0xfc00) === 0xdc00;
    return at + (pair ? 2 : 1);
  }

  /** Copies the text's code units into `units` (native order) and returns it. */
  private readUnits(text: string): Uint16Array {
    if (this.units.length < text.length + 1) {
      this.source = Buffer.alloc(text.length * 4 + 2);
      this.units = new Uint16Array(this.source.buffer, this.source.byteOffset, text.length * 2 + 1);
    }
    const bytes = this.source.write(text, 0, 'utf16le');
    if (!LITTLE_ENDIAN) this.source.subarray(0, bytes).swap16();
    this.units[text.length] = 0; // so originalEnd never reads a stale unit past the end
    return this.units;
  }

  /**
   * Removes `'s` and a lone `'` that follow a letter or digit and end a word; `O'Brien` keeps its apostrophe. Starts at
   * the first apostrophe: everything before it stays where it is.
   */
  private dropPossessives(from: number): void {
    const { codes, start, length } = this;
    const wordAt = (index: number) => index < length && isWordCodePoint(codes[index]!);
    let kept = from;
    for (let index = from; index < length; index++) {
      const code = codes[index]!;
      if (code === APOSTROPHE && kept > 0 && isWordCodePoint(codes[kept - 1]!)) {
        if (codes[index + 1] === LOWER_S && index + 1 < length && !wordAt(index + 2)) {
          index++;
          continue;
        }
        if (!wordAt(index + 1)) continue;
      }
      codes[kept] = code;
      start[kept] = start[index]!;
      kept++;
    }
    this.length = kept;
  }

  private ensureCapacity(capacity: number): void {
    if (capacity <= this.codes.length) return;
    const size = Math.max(capacity, this.codes.length * 2);
    const grow = <T extends Uint16Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old.subarray(0, this.length));
      return fresh;
    };
    this.codes = grow(this.codes, new Uint16Array(size));
    this.start = grow(this.start, new Int32Array(size));
  }
}

/** Reused by foldPhrase: typed-array allocation would dominate compiling 30,000 phrases. */
const phraseBuffer = new FoldedText();

/** The folded form of a phrase as a string, without leading or trailing space: what the matcher looks for. */
export function foldPhrase(phrase: string): string {
  const folded = phraseBuffer.fold(phrase);
  let length = folded.length;
  if (length > 0 && folded.codes[length - 1] === SPACE) length--;
  let result = '';
  for (let index = 0; index < length; index += 4096) {
    result += String.fromCharCode(...folded.codes.subarray(index, Math.min(length, index + 4096)));
  }
  return result;
}

/** Words of `text` folded as the matcher folds them (case, diacritics, quotes, possessives); "O'Brien" -> "obrien". */
export function foldedWords(text: string): string[] {
  return foldPhrase(text)
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);
}

const wordCache = new Map<number, boolean>();

/** A letter or a digit (any script): what a word boundary must not have on its outer side. */
export function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 128) {
    return (
      (codePoint >= 0x61 && codePoint <= 0x7a) ||
      (codePoint >= 0x30 && codePoint <= 0x39) ||
      (codePoint >= 0x41 && codePoint <= 0x5a)
    );
  }
  let word = wordCache.get(codePoint);
  if (word === undefined) {
    word = /^[\p{L}\p{N}]$/u.test(String.fromCodePoint(codePoint));
    wordCache.set(codePoint, word);
  }
  return word;
}
