// Watchlist schema: the default file loads, defaults apply, and every bad input is reported with its path and line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { DEFAULT_WATCHLIST_PATH, loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { parseWatchlist, validateWatchlistObject, WatchlistError } from '../../lambda/core/watchlist';

const MINIMAL = `
entities:
  - id: krebs
    name: Christopher Krebs
    aliases: [Chris Krebs]
feeds:
  - url: https://cyberscoop.com/feed/
`;

/** The problems of a watchlist that must fail, as `path: message` lines. */
function problemsOf(yaml: string): string[] {
  try {
    parseWatchlist(yaml, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(WatchlistError);
    return (error as WatchlistError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('the watchlist was accepted');
}

describe('default watchlist', () => {
  const watchlist = loadWatchlist();

  it('lives at an absolute path inside the package', () => {
    expect(isAbsolute(DEFAULT_WATCHLIST_PATH)).toBe(true);
    expect(DEFAULT_WATCHLIST_PATH).toMatch(/config[/\\]watchlist\.yaml$/);
  });

  it('tracks exactly the five election-security entities, in order', () => {
    expect(watchlist.entities.map((entity) => entity.id)).toEqual([
      'krebs',
      'cisa',
      'masterson',
      'raffensperger',
      'sterling',
    ]);
  });

  it('reads real public https feeds, including a Google News search per person and the named outlets', () => {
    const urls = watchlist.feeds.map((feed) => feed.url);
    expect(urls.every((url) => url.startsWith('https://'))).toBe(true);
    expect(urls.filter((url) => url.startsWith('https://news.google.com/rss/search?'))).toHaveLength(5);
    expect(urls).toEqual(
      expect.arrayContaining([
        'https://cyberscoop.com/feed/',
        'https://therecord.media/feed/',
        'https://feeds.npr.org/1014/rss.xml',
        'https://feeds.bbci.co.uk/news/world/us_and_canada/rss.xml',
        'https://feeds.skynews.com/feeds/rss/us.xml',
      ]),
    );
  });

  it('has no subscribers and a 24-hour backfill', () => {
    expect(watchlist.subscribers).toEqual([]);
    expect(watchlist.settings.backfillHours).toBe(24);
  });

  it('validates again unchanged after a JSON round trip (how the Lambdas receive it)', () => {
    const roundTripped = JSON.parse(JSON.stringify(watchlist));
    expect(validateWatchlistObject(roundTripped, 'bundle')).toEqual(watchlist);
  });
});

describe('parseWatchlist: defaults', () => {
  it('fills optional lists, feed names, subscriber mode and settings', () => {
    const watchlist = parseWatchlist(
      `${MINIMAL}subscribers:\n  - email: a@example.com\n  - phone: "+14155550123"\n    entities: [krebs]\n    mode: digest\n`,
      'test.yaml',
    );
    expect(watchlist.entities[0]).toEqual({
      id: 'krebs',
      name: 'Christopher Krebs',
      aliases: ['Chris Krebs'],
      ambiguous: [],
      context: [],
      excludes: [],
      topics: [],
    });
    expect(watchlist.feeds).toEqual([{ url: 'https://cyberscoop.com/feed/', name: 'cyberscoop.com' }]);
    expect(watchlist.subscribers).toEqual([
      { email: 'a@example.com', mode: 'instant' },
      { phone: '+14155550123', entities: ['krebs'], mode: 'digest' },
    ]);
    expect(watchlist.settings).toEqual({ backfillHours: 24 });
  });

  it('treats a list key left empty in YAML as an empty list', () => {
    const watchlist = parseWatchlist(`${MINIMAL}subscribers:\n`, 'test.yaml');
    expect(watchlist.subscribers).toEqual([]);
  });

  it('keeps regex metacharacters in phrases as they are', () => {
    const watchlist = parseWatchlist(MINIMAL.replace('[Chris Krebs]', '["a(b", "c[d]", "e\\\\f", "g*"]'), 'test.yaml');
    expect(watchlist.entities[0]!.aliases).toEqual(['a(b', 'c[d]', 'e\\f', 'g*']);
  });
});

describe('parseWatchlist: problems', () => {
  it.each([
    ['an empty alias', 'aliases: [Chris Krebs, ""]', 'entities[0].aliases[1]: must not be empty'],
    ['a blank alias', 'aliases: ["   "]', 'entities[0].aliases[0]: must not be empty'],
    ['a YAML null alias', 'aliases:\n      -\n      - Chris Krebs', 'entities[0].aliases[0]: must not be empty'],
    [
      'an alias of punctuation only',
      'aliases: ["(*)"]',
      'entities[0].aliases[0]: must contain a letter or digit (punctuation alone matches noise)',
    ],
    [
      'an absurdly long alias',
      `aliases: ["${'Krebs '.repeat(30)}"]`,
      'entities[0].aliases[0]: is too long (179 characters, at most 100)',
    ],
    [
      'a number where text belongs',
      'aliases: [2020]',
      'entities[0].aliases[0]: must be text, not number 2020 (put it in quotes)',
    ],
    [
      'ambiguous terms without context',
      'aliases: [Chris Krebs]\n    ambiguous: [Krebs]',
      "entities[0].context: needs at least one phrase: an ambiguous term counts beside a context phrase, or without one unless the item's words lean away from the entity's topic profile, which items with a context phrase teach",
    ],
    ['an entity that names nothing', 'aliases: []', 'entities[0].aliases: needs at least one alias or ambiguous term'],
    [
      'topics for an entity without ambiguous terms',
      'aliases: [Chris Krebs]\n    topics: [ballots]',
      "entities[0].topics: has no effect: topics teach the entity's profile who its ambiguous terms mean, and it has none",
    ],
    [
      'a topic that is not text',
      'aliases: [Chris Krebs]\n    ambiguous: [Krebs]\n    context: [CISA]\n    topics: [ballots, {recount: 2}]',
      'entities[0].topics[1]: must be text, not a mapping',
    ],
    [
      'an empty topic',
      'aliases: [Chris Krebs]\n    ambiguous: [Krebs]\n    context: [CISA]\n    topics: [ballots, ""]',
      'entities[0].topics[1]: must not be empty',
    ],
    [
      'an alias that is also an exclude, spelled differently',
      'aliases: [Chris Krebs]\n    excludes: [CHRIS KREBS’s]',
      'entities[0].aliases[0]: is also an exclude ("CHRIS KREBS’s"), so it could never match',
    ],
  ])('reports %s', (_, aliasLine, expected) => {
    expect(problemsOf(MINIMAL.replace('aliases: [Chris Krebs]', aliasLine))).toEqual([expected]);
  });

  it.each([
    [
      'Krebs',
      'entities[0].id: must be 1-40 characters: a lower-case letter, then lower-case letters, digits or hyphens',
    ],
    [
      '1krebs',
      'entities[0].id: must be 1-40 characters: a lower-case letter, then lower-case letters, digits or hyphens',
    ],
    [
      `k${'x'.repeat(40)}`,
      'entities[0].id: must be 1-40 characters: a lower-case letter, then lower-case letters, digits or hyphens',
    ],
  ])('rejects the entity id %s', (id, expected) => {
    expect(problemsOf(MINIMAL.replace('id: krebs', `id: ${id}`))).toEqual([expected]);
  });

  it('reports a duplicate entity id at the second one', () => {
    const yaml = MINIMAL.replace('feeds:', '  - id: krebs\n    name: Other\n    aliases: [Other Krebs]\nfeeds:');
    expect(problemsOf(yaml)).toEqual(['entities[1].id: duplicate of entities[0].id (krebs)']);
  });

  it.each([
    ['not a URL', 'entities', 'feeds[0].url: is not a valid URL ("not a URL")'],
    ['ftp://example.com/feed', 'x', 'feeds[0].url: must be an http or https URL (got ftp:)'],
    ['javascript:alert(1)', 'x', 'feeds[0].url: must be an http or https URL (got javascript:)'],
  ])('rejects the feed URL %s', (url, _, expected) => {
    expect(problemsOf(MINIMAL.replace('https://cyberscoop.com/feed/', `"${url}"`))).toEqual([expected]);
  });

  it('reports a duplicate feed URL, also when spelled with a different host case', () => {
    const yaml = `${MINIMAL}  - url: https://CyberScoop.com/feed/\n`;
    expect(problemsOf(yaml)).toEqual(['feeds[1].url: duplicate of feeds[0].url (https://cyberscoop.com/feed/)']);
  });

  it('rejects a poll interval below one minute', () => {
    expect(problemsOf(`${MINIMAL}    intervalMinutes: 0\n`)).toEqual([
      'feeds[0].intervalMinutes: must be at least 1 (minutes)',
    ]);
  });

  it.each([
    ['email: a@example.com\n    phone: "+14155550123"', 'subscribers[0]: needs exactly one of email or phone'],
    ['mode: digest', 'subscribers[0]: needs exactly one of email or phone'],
    ['email: not-an-address', 'subscribers[0].email: must be an email address'],
    [
      'phone: "555-0123"',
      'subscribers[0].phone: must be an E.164 phone number: + then country code and number, e.g. +14155550123',
    ],
    ['phone: +14155550123', 'subscribers[0].phone: must be text, not number 14155550123 (put it in quotes)'],
    [
      'email: a@example.com\n    mode: weekly',
      'subscribers[0].mode: must be one of instant, digest (got string "weekly")',
    ],
    [
      'email: a@example.com\n    entities: [krebs, krebz]',
      'subscribers[0].entities[1]: unknown entity "krebz" (known: krebs)',
    ],
    [
      'email: a@example.com\n    entities: []',
      'subscribers[0].entities: must not be empty (leave it out to receive every entity)',
    ],
  ])('rejects the subscriber %j', (subscriber, expected) => {
    expect(problemsOf(`${MINIMAL}subscribers:\n  - ${subscriber}\n`)).toEqual([expected]);
  });

  it("names a feed's about entity that the watchlist does not track, and keeps a known one", () => {
    expect(problemsOf(`${MINIMAL}    about: [krebs, krebz]\n`)).toEqual([
      'feeds[0].about[1]: unknown entity "krebz" (known: krebs)',
    ]);
    expect(parseWatchlist(`${MINIMAL}    about: [krebs]\n`, 'test.yaml').feeds[0]).toMatchObject({ about: ['krebs'] });
  });

  it('takes an SMS storm guard limit per hour, a whole number from 0', () => {
    expect(parseWatchlist(`${MINIMAL}settings:\n  smsPerHour: 0\n`, 'test.yaml').settings.smsPerHour).toBe(0);
    expect(problemsOf(`${MINIMAL}settings:\n  smsPerHour: 2.5\n`)).toEqual([
      'settings.smsPerHour: must be a whole number, not number 2.5',
    ]);
    expect(problemsOf(`${MINIMAL}settings:\n  smsPerHour: -1\n`)).toEqual([
      'settings.smsPerHour: must be 0 or more (0 sends every alert by email only)',
    ]);
  });

  it('takes how long and how big the archive of items read may be, 0 days keeping none', () => {
    const settings = parseWatchlist(
      `${MINIMAL}settings:\n  archiveDays: 0\n  archiveMegabytes: 8\n`,
      'test.yaml',
    ).settings;
    expect(settings).toMatchObject({ archiveDays: 0, archiveMegabytes: 8 });
    expect(problemsOf(`${MINIMAL}settings:\n  archiveDays: -1\n  archiveMegabytes: 0\n`)).toEqual([
      'settings.archiveDays: must be 0 or more (days; 0 keeps no archive)',
      'settings.archiveMegabytes: must be at least 1',
    ]);
  });

  it('takes the User-Agent to send to feeds, refusing one that could not be a header', () => {
    const ua = 'news-alerts/0.1 (ops@example.org)';
    expect(parseWatchlist(`${MINIMAL}settings:\n  userAgent: "${ua}"\n`, 'test.yaml').settings.userAgent).toBe(ua);
    expect(problemsOf(`${MINIMAL}settings:\n  userAgent: "news-alerts\\r\\nX-Evil: 1"\n`)).toEqual([
      'settings.userAgent: must be 1 to 200 printable ASCII characters (it is sent as a header)',
    ]);
  });

  it('rejects unknown keys and suggests the key that was probably meant', () => {
    const yaml = MINIMAL.replace('aliases:', 'aliasses: [x]\n    aliases:').concat('setings:\n  backfillHours: 1\n');
    expect(problemsOf(yaml)).toEqual([
      'entities[0].aliasses: unknown key (did you mean "aliases"?)',
      'setings: unknown key (did you mean "settings"?)',
    ]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    expect(problemsOf('entities:\n  - id: krebs\n    name: a: b\n')).toEqual([
      'line 3, column 11: Nested mappings are not allowed in compact mappings',
    ]);
    expect(problemsOf('entities:\n\t- id: krebs\n')).toEqual(['line 2, column 1: Tabs are not allowed as indentation']);
  });

  it('reports a key given twice in YAML', () => {
    expect(problemsOf(`${MINIMAL}feeds: []\n`)[0]).toMatch(/^line 8, column 1: Map keys must be unique/);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(problemsOf('# nothing yet\n')).toEqual(['(top level): the watchlist is empty']);
    expect(problemsOf('- krebs\n')).toEqual(['(top level): must be a mapping, not a list']);
  });

  it('lists every problem at once, in file order, each with the file name, path and line', () => {
    const yaml = [
      'entities:',
      '  - id: krebs',
      '    name: Christopher Krebs',
      '    aliases: [Chris Krebs, ""]',
      '  - id: krebs',
      '    name: ""',
      '    aliases: [Krebs]',
      '    excludes: ["?!"]',
      'feeds:',
      '  - url: ftp://example.com/',
      '  - url: https://example.com/rss',
      '  - url: https://example.com/rss',
      'subscribers:',
      '  - email: a@example.com',
      '    entities: [sterling]',
      '',
    ].join('\n');
    let error: WatchlistError | undefined;
    try {
      parseWatchlist(yaml, 'watch.yaml');
    } catch (caught) {
      error = caught as WatchlistError;
    }
    expect(error).toBeInstanceOf(WatchlistError);
    expect(error!.file).toBe('watch.yaml');
    expect(error!.problems).toEqual([
      { path: 'entities[0].aliases[1]', message: 'must not be empty', line: 4 },
      { path: 'entities[1].id', message: 'duplicate of entities[0].id (krebs)', line: 5 },
      { path: 'entities[1].name', message: 'must not be empty', line: 6 },
      { path: 'entities[1].excludes[0]', message: expect.stringMatching(/letter or digit/), line: 8 },
      { path: 'feeds[0].url', message: 'must be an http or https URL (got ftp:)', line: 10 },
      { path: 'feeds[2].url', message: 'duplicate of feeds[1].url (https://example.com/rss)', line: 12 },
      { path: 'subscribers[0].entities[0]', message: 'unknown entity "sterling" (known: krebs)', line: 15 },
    ]);
    const lines = error!.message.split('\n');
    expect(lines[0]).toBe('watch.yaml: invalid watchlist (7 problems)');
    expect(lines[1]).toBe('watch.yaml: entities[0].aliases[1]: must not be empty (line 4)');
    expect(lines).toHaveLength(8);
  });

  it('validates plain objects with the same rules and paths', () => {
    expect(() => validateWatchlistObject({ entities: [{ id: 'x', name: 'X', aliases: [''] }] }, 'context')).toThrow(
      'context: entities[0].aliases[0]: must not be empty',
    );
  });
});

describe('loadWatchlist', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'watchlist-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reads a file, a UTF-8 byte-order mark included', () => {
    const path = join(directory, 'mine.yaml');
    writeFileSync(path, `\uFEFF${MINIMAL}`);
    expect(loadWatchlist(path).entities[0]!.id).toBe('krebs');
  });

  it('names the file in every error', () => {
    const path = join(directory, 'bad.yaml');
    writeFileSync(path, MINIMAL.replace('id: krebs', 'id: Krebs'));
    expect(() => loadWatchlist(path)).toThrow(`${path}: entities[0].id: must be 1-40 characters`);
  });

  it('reports a missing file as a watchlist problem', () => {
    const path = join(directory, 'missing.yaml');
    expect(() => loadWatchlist(path)).toThrow(WatchlistError);
    expect(() => loadWatchlist(path)).toThrow(`${path}: (file): file not found`);
  });
});
