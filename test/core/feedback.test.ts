// The suggested edits: an exclude (a bigram holding the entity's name, shared by the wrong alerts alone), a context
// phrase to drop (in most wrong alerts, few right ones), and both as a diff of the user's watchlist file.

import { applyPatch } from 'diff';
import { suggestContextDrop, suggestExclude } from '../../lambda/core/feedback';
import { loadWatchlistWith } from '../../lambda/core/watchlist';
import { watchlistPatch } from '../../lambda/core/watchlist-patch';

const KREBS = { name: 'Christopher Krebs', aliases: ['Christopher Krebs', 'Chris Krebs'], ambiguous: ['Krebs'] };

describe('suggestExclude', () => {
  it('picks the bigram holding a name word that most wrong alerts share and no other alert has', () => {
    expect(
      suggestExclude(
        KREBS,
        ['Krebs Hall hosts debate', 'Flood closes Krebs Hall', 'Krebs Hall reopens; Krebs Cycle lecture'],
        ['Chris Krebs testifies on election security'],
      ),
    ).toEqual({ phrase: 'krebs hall', wrongAlerts: 3 });
  });

  it('suggests nothing from a single wrong alert, nor a phrase the right alerts also use', () => {
    expect(suggestExclude(KREBS, ['Krebs Hall hosts debate'], [])).toBeUndefined();
    expect(
      suggestExclude(
        KREBS,
        ['Krebs Hall hosts debate', 'Flood closes Krebs Hall'],
        ['Chris Krebs speaks at Krebs Hall'],
      ),
    ).toBeUndefined();
  });

  it('ignores shared pairs without a word of the name: such an exclude would silence nothing', () => {
    expect(suggestExclude(KREBS, ['Voters line up, says Krebs', 'Voters line up early'], [])).toBeUndefined();
  });

  it('folds case, accents and curly quotes as the matcher does', () => {
    expect(suggestExclude(KREBS, ['KREBS’ Café opens', 'krebs’ café closes'], [])).toEqual({
      phrase: 'krebs cafe',
      wrongAlerts: 2,
    });
  });
});

describe('suggestExclude never suggests a phrase the watchlist could not take', () => {
  it("skips a pair that is one of the entity's aliases (an exclude equal to an alias is invalid)", () => {
    // "chris krebs" would win the tie alphabetically.
    expect(
      suggestExclude(KREBS, ['Chris Krebs Farm sells pumpkins', 'Chris Krebs Farm opens maze'], ['Krebs on CISA']),
    ).toEqual({ phrase: 'krebs farm', wrongAlerts: 2 });
  });
});

describe('suggestContextDrop', () => {
  const entity = { context: ['CISA', 'election', 'election security'] };
  const right = [
    'Chris Krebs on CISA budget',
    'Krebs: CISA cuts',
    'CISA chief Krebs',
    'Krebs joins SentinelOne',
    'Krebs',
  ];

  it('picks the context phrase in most wrong alerts and at most a fifth of the right ones', () => {
    const wrong = ['Krebs Hall election debate', 'Krebs Hall floods before the Election', 'Krebs farm'];
    expect(suggestContextDrop(entity, wrong, right)).toEqual({ phrase: 'election', wrongAlerts: 2, rightAlerts: 0 });
    expect(suggestContextDrop(entity, wrong, [...right.slice(0, 4), 'Krebs on election security'])).toEqual({
      phrase: 'election',
      wrongAlerts: 2,
      rightAlerts: 1,
    });
  });

  it('keeps a phrase the right alerts lean on, one in half the wrong alerts or fewer, and the last context phrase', () => {
    const wrong = ['Krebs Hall election debate', 'Krebs Hall floods before the election'];
    expect(suggestContextDrop(entity, wrong, ['Krebs on election security', 'Chris Krebs on CISA'])).toBeUndefined();
    expect(suggestContextDrop(entity, [...wrong, 'Krebs farm', 'Krebs barn'], right)).toBeUndefined();
    expect(suggestContextDrop(entity, ['Krebs Hall election debate'], right)).toBeUndefined();
    expect(suggestContextDrop({ context: ['election'] }, wrong, right)).toBeUndefined();
  });

  it('matches whole words only, folded: "elections" is not "election"', () => {
    expect(suggestContextDrop(entity, ['Krebs Hall elections', 'Krebs Hall elections again'], right)).toBeUndefined();
  });
});

describe('watchlistPatch', () => {
  const BLOCK = `# my watchlist
entities:
  - id: krebs
    name: Christopher Krebs
    aliases:
      - Chris Krebs # the usual name
    ambiguous:
      - Krebs
    context:
      - CISA
      - election # too loose?
  - id: cisa
    name: CISA
    aliases: [Cybersecurity and Infrastructure Security Agency]
feeds:
  - url: https://news.example.test/feed.xml
    name: News
`;
  const lines = (patch: string | undefined) => (patch ?? '').split('\n').filter((line) => /^[-+][^-+]/.test(line));

  it('adds the exclude and drops the context phrase, touching no other line', () => {
    const patch = watchlistPatch(BLOCK, 'watchlist.yaml', [
      { entityId: 'krebs', addExclude: 'krebs hall', dropContext: 'Election' },
    ]);
    expect(patch?.split('\n').slice(0, 2)).toEqual(['--- a/watchlist.yaml', '+++ b/watchlist.yaml']);
    expect(lines(patch)).toEqual(['-      - election # too loose?', '+    excludes:', '+      - krebs hall']);
  });

  it("writes a new list in the style of the entity's other lists, and adds to an existing one in place", () => {
    const flow =
      'entities:\n  - id: cisa\n    name: CISA\n    aliases: [Cybersecurity and Infrastructure Security Agency]\n';
    expect(lines(watchlistPatch(flow, 'w.yaml', [{ entityId: 'cisa', addExclude: 'cisa exam' }]))).toEqual([
      '+    excludes: [cisa exam]',
    ]);
    const padded =
      'entities:\n  - id: cisa\n    name: CISA\n    aliases: [ CISA agency ]\n    excludes: [ CISA exam ]\n';
    expect(lines(watchlistPatch(padded, 'w.yaml', [{ entityId: 'cisa', addExclude: 'cisa audit' }]))).toEqual([
      '-    excludes: [ CISA exam ]',
      '+    excludes: [ CISA exam, cisa audit ]',
    ]);
  });

  it('is undefined when nothing would change: the exclude is there already, the phrase is gone, no such entity', () => {
    expect(
      watchlistPatch(BLOCK, 'w.yaml', [
        { entityId: 'krebs', dropContext: 'rigged' },
        { entityId: 'nobody', addExclude: 'x y' },
      ]),
    ).toBeUndefined();
    const excluded = 'entities:\n  - id: cisa\n    name: CISA\n    aliases: [CISA agency]\n    excludes: [CISA exam]\n';
    expect(watchlistPatch(excluded, 'w.yaml', [{ entityId: 'cisa', addExclude: 'cisa  EXAM' }])).toBeUndefined();
  });

  it('keeps the edited file a valid watchlist', () => {
    const patch = watchlistPatch(BLOCK, 'w.yaml', [
      { entityId: 'krebs', addExclude: 'krebs hall', dropContext: 'election' },
    ]);
    expect(patch).toBeDefined();
    const edited = applyPatch(BLOCK, patch!);
    if (edited === false) throw new Error('the diff does not apply');
    const watchlist = loadWatchlistWith('w.yaml', () => edited);
    const krebs = watchlist.entities.find((entity) => entity.id === 'krebs')!;
    expect(krebs.context).toEqual(['CISA']);
    expect(krebs.excludes).toEqual(['krebs hall']);
    expect(edited).toContain('- Chris Krebs # the usual name');
  });
});
