// Words a headline marks a repeat or a different chamber with: "second recount", "more threats", "House panel".
import { foldedWords } from './text-fold';

/** Words that say the headline's act happened before: its news is the repeat ("testifies again", "second lawsuit"). */
const REPEAT_WORDS = new Map(
  Object.entries({
    second: 'second',
    '2nd': 'second',
    third: 'third',
    '3rd': 'third',
    fourth: 'fourth',
    '4th': 'fourth',
    fifth: 'fifth',
    again: 'again',
    anew: 'again',
    another: 'another',
    too: 'too',
    also: 'also',
    latest: 'latest',
    renewed: 'renewed',
    fresh: 'fresh',
    additional: 'more',
    separate: 'separate',
    new: 'new',
  }),
);

/**
 * The repeat markers a headline carries, normalized ("2nd" -> second), and "more" unless it is "more than" (a count,
 * "cuts more than 130 jobs"): "CISA adds three more flaws to KEV catalog" after "CISA adds flaw to KEV catalog" is a
 * new development that shares every other word with its story.
 */
export function repeatMarkers(headline: string): string[] {
  const words = foldedWords(headline);
  const found = new Set<string>();
  words.forEach((word, index) => {
    const marker = REPEAT_WORDS.get(word);
    if (marker) found.add(marker);
    else if (word === 'more' && words[index + 1] !== 'than') found.add('more');
  });
  return [...found].sort();
}

/** A legislature's chamber, capitalized, not the White House ("Senate panel", "Georgia House", "House committee"). */
const CHAMBER = /(?<!White |Opera |Court |State )\b(House|Senate|Assembly)\b/gu;

/** The chambers a headline names: "testifies before House panel" after "... Senate panel" is another hearing. */
export function chambers(headline: string): string[] {
  // An all-caps headline capitalizes every word: read it as Title Case ("BEFORE HOUSE PANEL" -> "Before House Panel").
  const text = /\p{Ll}/u.test(headline)
    ? headline
    : headline
        .toLowerCase()
        .replace(/(^|[^\p{L}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
  return [...new Set([...text.matchAll(CHAMBER)].map((match) => match[1]!.toLowerCase()))].sort();
}
