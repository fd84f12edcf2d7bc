// Text made safe for a delivery channel: one line, printable ASCII or GSM-7 only, and cut to a budget at a word.

const ELLIPSIS = '...';

// Characters that could forge lines or move the terminal cursor (C0/C1 controls, line/paragraph separators): each
// becomes a space. Invisible ones that could reorder or hide text (bidi marks, embeddings, overrides and isolates,
// zero-width characters, soft hyphen, BOM): removed, so a word split by one stays whole.
const BREAKING_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
export const INVISIBLE_CHARS = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const COMBINING_MARKS = /\p{M}/gu;

/** Letters and punctuation that NFKD does not reduce to ASCII. */
const ASCII_FALLBACKS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2022': '-',
  '\u00df': 'ss',
  '\u00e6': 'ae',
  '\u00c6': 'AE',
  '\u0153': 'oe',
  '\u0152': 'OE',
  '\u00f8': 'o',
  '\u00d8': 'O',
  '\u0142': 'l',
  '\u0141': 'L',
  '\u0111': 'd',
  '\u0110': 'D',
  '\u00f0': 'd',
  '\u00d0': 'D',
  '\u00fe': 'th',
  '\u00de': 'Th',
  '\u0131': 'i',
};

// GSM 03.38: the basic set costs one septet, the extension set two (escape + character).
const GSM7_BASIC = new Set(
  '@\u00a3$\u00a5\u00e8\u00e9\u00f9\u00ec\u00f2\u00c7\n\u00d8\u00f8\r\u00c5\u00e5\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u00c6\u00e6\u00df\u00c9 !"#\u00a4%&\'()*+,-./0123456789:;<=>?\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00c4\u00d6\u00d1\u00dc\u00a7\u00bfabcdefghijklmnopqrstuvwxyz\u00e4\u00f6\u00f1\u00fc\u00e0',
);
const GSM7_EXTENSION = new Set('^{}\\[~]|\u20ac');

/** One line: invisible characters removed, line breaks and controls turned to spaces, whitespace collapsed. */
export function singleLine(text: string): string {
  return text.replace(INVISIBLE_CHARS, '').replace(BREAKING_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

/** Like singleLine but keeps paragraph breaks: lines are cleaned one by one, runs of blank lines become one. */
export function paragraphs(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .split('\n')
    .map(singleLine)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Folds one character towards ASCII: explicit fallbacks, then compatibility decomposition without accents. */
function foldChar(char: string): string {
  return ASCII_FALLBACKS[char] ?? char.normalize('NFKD').replace(COMBINING_MARKS, '');
}

/** Printable ASCII only: quotes and dashes straightened, accents dropped, anything else unrepresentable removed. */
export function toAscii(text: string): string {
  let out = '';
  for (const char of singleLine(text)) {
    for (const folded of foldChar(char)) if (folded >= ' ' && folded <= '~') out += folded;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** GSM-7 only: characters in the GSM basic or extension set kept, others folded as for ASCII, the rest dropped. */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of singleLine(text)) {
    if (GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char)) {
      out += char;
      continue;
    }
    for (const folded of foldChar(char)) {
      if (folded === '`') out += "'";
      else if (GSM7_BASIC.has(folded) || GSM7_EXTENSION.has(folded)) out += folded;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Septets a GSM-7 text costs; extension characters take two. Assumes `text` is GSM-7 (see toGsm7). */
export function gsm7Length(text: string): number {
  let units = 0;
  for (const char of text) units += GSM7_EXTENSION.has(char) ? 2 : 1;
  return units;
}

/**
 * Shortens `text` to at most `budget` units (as measured by `measure`), ending in '...' when cut, preferring to cut
 * at a word boundary in the last third.
 */
export function truncate(text: string, budget: number, measure: (s: string) => number = (s) => s.length): string {
  if (measure(text) <= budget) return text;
  const room = budget - measure(ELLIPSIS);
  if (room <= 0) return ELLIPSIS.slice(0, Math.max(0, budget));
  let cut = '';
  let used = 0;
  for (const char of text) {
    const cost = measure(char);
    if (used + cost > room) break;
    cut += char;
    used += cost;
  }
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace > (cut.length * 2) / 3) cut = cut.slice(0, lastSpace);
  return `${cut.trimEnd()}${ELLIPSIS}`;
}
