// The words a topic profile counts: folded as the matcher folds text, function words dropped, suffixes trimmed.
import { FUNCTION_WORDS, NEWS_FILLER } from './news-words';
import { stem } from './story-terms';
import { foldPhrase, isWordCodePoint } from './text-fold';

const SPACE = 0x20;
const APOSTROPHE = 0x27;
const BACKTICK = 0x60;
const ASCII = /^[\x00-\x7f]*$/;

/** Words that say nothing about who a name means: grammar, and the attribution any headline carries. */
const STOP_WORDS = new Set([
  ...FUNCTION_WORDS,
  ...NEWS_FILLER,
  ...'us new one two first last year years s t'.split(' '),
]);

/** Cuts a long text's terms: a profile is about what an item is mostly about, which its first words tell. */
export const MAX_ITEM_TERMS = 48;

/** The distinct terms of `text`, in order of first appearance, at most `limit`. */
export function topicTerms(text: string, limit = MAX_ITEM_TERMS): string[] {
  const terms = new Set<string>();
  // Plain ASCII folds to its lower case (hyphens and backticks are word breaks and apostrophes below either way).
  const folded = ASCII.test(text) ? text.toLowerCase() : foldPhrase(text);
  // One pass over the folded text (a regex split over Unicode classes cost more than the matcher's whole scan).
  let word = '';
  let start = -1;
  for (let index = 0; index <= folded.length; index++) {
    const code = index < folded.length ? folded.charCodeAt(index) : SPACE;
    if (code === APOSTROPHE || code === BACKTICK) {
      if (start !== -1) word += folded.slice(start, index);
      start = -1;
      // A possessive ("Krebs's") is the bare word, as the matcher folds it.
      const next = folded.charCodeAt(index + 2);
      if (folded.charCodeAt(index + 1) === 0x73 && !(next >= 0x61 && next <= 0x7a) && !(next >= 0x30 && next <= 0x39)) {
        index++;
      }
      continue;
    }
    const isWord =
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x80 && isWordCodePoint(folded.codePointAt(index)!));
    if (isWord) {
      if (start === -1) start = index;
      continue;
    }
    if (start !== -1) word += folded.slice(start, index);
    start = -1;
    if (word === '') continue;
    if (word.length >= 2 && !STOP_WORDS.has(word)) {
      terms.add(stem(word));
      if (terms.size >= limit) break;
    }
    word = '';
  }
  return [...terms];
}

/** Text read for an item's terms: its title and summary tell what it is about; long content adds noise. */
const ITEM_TEXT_CHARS = 600;

/** The text an item's terms are read from: its title, then its summary (or the start of its content). */
export function itemTopicText(item: { title: string; summary?: string; content?: string }): string {
  return `${item.title}\n${item.summary || item.content || ''}`.slice(0, ITEM_TEXT_CHARS);
}

/** The terms an item is judged and learned by (those of itemTopicText). */
export function itemTopicTerms(item: { title: string; summary?: string; content?: string }): string[] {
  return topicTerms(itemTopicText(item));
}
