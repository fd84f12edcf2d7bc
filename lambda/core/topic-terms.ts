// The words a topic profile counts: folded as the matcher folds text, function words dropped, suffixes trimmed.
import { FUNCTION_WORDS, NEWS_FILLER } from './news-words';
import { withoutPublisherSuffix } from './normalize';
import { stem } from './story-words';
import { FoldedText, isWordCodePoint } from './text-fold';

const SPACE = 0x20;
const APOSTROPHE = 0x27;

/** Words that say nothing about who a name means: grammar, and the attribution any headline carries. */
const STOP_WORDS = new Set([
  ...FUNCTION_WORDS,
  ...NEWS_FILLER,
  ...'us new one two first last year years s t'.split(' '),
]);

/** Cuts a long text's terms: a profile is about what an item is mostly about, which its first words tell. */
export const MAX_ITEM_TERMS = 48;

/** Reused across calls: topic terms are read for every item with a bare name, so nothing is allocated per text. */
const folded = new FoldedText();
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const UTF16 = new TextDecoder(LITTLE_ENDIAN ? 'utf-16le' : 'utf-16be');
/** Each folded word's term ('' for a stop word): news repeats its words, so each is stemmed once. */
const termOf = new Map<string, string>();
const TERM_CACHE_SIZE = 50_000;

function termFor(word: string): string {
  let term = termOf.get(word);
  if (term === undefined) {
    // A figure is kept whole: the stemmer's doubled-letter rule would make "1300" "130".
    term = word.length < 2 || STOP_WORDS.has(word) ? '' : /\d/.test(word) ? word : stem(word);
    if (termOf.size >= TERM_CACHE_SIZE) termOf.clear();
    termOf.set(word, term);
  }
  return term;
}

const COMMA = 0x2c;
const PERIOD = 0x2e;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

function isWordUnit(code: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || isDigit(code);
  // Astral characters (surrogate halves) break words: emoji mostly; the rare astral letter costs one term.
  return !(code >= 0xd800 && code <= 0xdfff) && isWordCodePoint(code);
}

/** The distinct terms of `text`, in order of first appearance, at most `limit`. */
export function topicTerms(text: string, limit = MAX_ITEM_TERMS): string[] {
  const terms = new Set<string>();
  // Folded as the matcher folds (case, diacritics, possessives gone), read in place from the fold's buffer.
  const { codes, length } = folded.fold(text);
  // One native decode of the folded units; words are slices of it.
  const flat = UTF16.decode(codes.subarray(0, length));
  let word = '';
  let start = -1;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? codes[index]! : SPACE;
    if (isWordUnit(code)) {
      if (start === -1) start = index;
      continue;
    }
    // A thousands separator or decimal point inside a number keeps it one term: "1,300" is not "300".
    if (
      (code === COMMA || code === PERIOD) &&
      start !== -1 &&
      isDigit(codes[index - 1]!) &&
      index + 1 < length &&
      isDigit(codes[index + 1]!)
    ) {
      word = word + flat.slice(start, index);
      start = -1;
      continue;
    }
    if (start !== -1) word = word === '' ? flat.slice(start, index) : word + flat.slice(start, index);
    start = -1;
    // An apostrophe left inside a word joins it ("O'Brien" -> "obrien"); possessives are gone already.
    if (code === APOSTROPHE || word === '') continue;
    const term = termFor(word);
    word = '';
    if (term !== '') {
      terms.add(term);
      if (terms.size >= limit) break;
    }
  }
  return [...terms];
}

/** Text read for an item's terms: its title and summary tell what it is about; long content adds noise. */
const ITEM_TEXT_CHARS = 600;

/** What an item is judged and learned by. */
export interface TopicText {
  title: string;
  summary?: string;
  content?: string;
  /** Its publisher (Google News `<source>`): when absent, the feed's name stands for it. */
  publisher?: string;
}

/**
 * The text an item's words are read from: its title (without a Google News " - Publisher" ending), then its summary
 * (or the start of its content).
 */
export function itemTopicText(item: TopicText, feed?: string): string {
  const source = item.publisher || feed;
  const title = source ? withoutPublisherSuffix(item.title, source) : item.title;
  return `${title}\n${item.summary || item.content || ''}`.slice(0, ITEM_TEXT_CHARS);
}

/** The source term of each publisher or feed name seen: a poll reads a few hundred names at most. */
const sourceTerms = new Map<string, string>();

/**
 * The term for where an item comes from: outlets keep to their beats ("The Record", "BBC Sport"), so its publisher is
 * evidence like a word; "@" keeps it apart from the same word in a title.
 */
export function sourceTerm(name: string): string {
  let term = sourceTerms.get(name);
  if (term === undefined) {
    term = `@${topicTerms(name, 8).join(' ')}`;
    if (sourceTerms.size >= 1_000) sourceTerms.clear();
    sourceTerms.set(name, term);
  }
  return term;
}

/** The terms an item is judged and learned by: those of itemTopicText, and its source's term. */
export function itemTopicTerms(item: TopicText, feed?: string): string[] {
  const terms = topicTerms(itemTopicText(item, feed));
  const source = item.publisher || feed;
  if (source) {
    const term = sourceTerm(source);
    if (term !== '@') terms.push(term);
  }
  return terms;
}
