import { lostEvents } from '../../bench/story-eval';
import { minHash } from '../../lambda/core/minhash';
import {
  addToStory,
  chooseStory,
  FOLLOW_UP_HORIZON_MS,
  followUpOf,
  formatAlsoIn,
  formatFollowUp,
  MAX_STORY_SOURCES,
  STORY_LSH,
  STORY_WINDOW_MS,
  type StoryHeadline,
  type StoryRef,
  type StorySource,
  startStory,
  storyBandKeys,
  storyIdFor,
  storySignature,
} from '../../lambda/core/story';
import {
  clusterErrors,
  defaultStoryContext,
  type LabelledItem,
  loadItems,
  replayStream,
} from '../support/story-stream';

const tune = loadItems('tune');
const ofEvent = (...events: string[]) => tune.filter((item) => events.includes(item.event));
const HOUR = 3600_000;
const ctx = defaultStoryContext();

function refFor(item: { title: string; summary?: string }, storyId: string, entities: string[], seenAt: number) {
  const signature = storySignature(item);
  return { storyId, entities, signature, origin: signature, seenAt } satisfies StoryRef;
}

describe('one event covered by many outlets', () => {
  const fired = ofEvent('krebs-fired');

  it('gives one alert for the act; a report it cannot tell apart from a new development alerts as its follow-up', () => {
    expect(fired.length).toBeGreaterThanOrEqual(15);
    const { alerts, stories, storyOf } = replayStream(fired);
    const [firing, ...others] = alerts;
    expect(firing!.followUp).toBeUndefined();
    // The copies and close rewrites join the first story; none of the fifteen is lost or silently misfiled.
    expect(stories.get(firing!.story.id)!.sources.length).toBeGreaterThanOrEqual(6);
    expect(others.length).toBeLessThanOrEqual(7);
    const firingStories = new Set(fired.map((item) => storyOf.get(item.id)));
    for (const other of others) expect(firingStories.has(other.followUp?.id)).toBe(true);
  });

  it('records every outlet that joined on the story, so the alert can say where else it ran', () => {
    const { stories } = replayStream(fired);
    const [story] = [...stories.values()];
    const alsoIn = formatAlsoIn(story!);
    expect(alsoIn.startsWith('also in: ')).toBe(true);
    for (const source of story!.sources.slice(1)) {
      if (source.publisher !== story!.sources[0]!.publisher) expect(alsoIn).toContain(source.publisher!);
    }
    expect(alsoIn).toContain('BBC News');
  });

  it('does not let a Google News " - Publisher" tail change what the item says', () => {
    const plain = storySignature({ title: 'Trump fires U.S. election cybersecurity chief who disputed fraud claims' });
    const google = storySignature({
      title: 'Trump fires U.S. election cybersecurity chief who disputed fraud claims - Reuters',
      summary: 'Trump fires U.S. election cybersecurity chief who disputed fraud claims Reuters',
      publisher: 'Reuters',
    });
    // What it says is the same; the signature also knows which outlet ran it.
    expect(google).toEqual({ ...plain, outlet: 'reuters' });
  });

  it('reads "fires", "sacks", "ousts" and "terminates" as one verb, and folds case, accents and possessives', () => {
    const verbs = ['fires', 'sacks', 'ousts', 'terminates', 'fired', 'firing'].map(
      (verb) => storySignature({ title: `Trump ${verb} Krebs` }).title,
    );
    for (const title of verbs) expect(title).toEqual(verbs[0]);
    expect(storySignature({ title: 'KREBS’S Élection' }).title).toEqual(
      storySignature({ title: "krebs's election" }).title,
    );
  });
});

describe('a new development about the same person', () => {
  it('starts a new story marked as a follow-up of the earlier one, with its date', () => {
    const items = ofEvent('krebs-fired', 'krebs-sues');
    const { alerts, storyOf } = replayStream(items);
    const [firing] = alerts;
    const lawsuit = alerts.find((alert) => /sues/.test(alert.story.title));
    expect(firing!.followUp).toBeUndefined();
    const firingStories = new Set(ofEvent('krebs-fired').map((item) => storyOf.get(item.id)));
    expect(firingStories.has(lawsuit!.followUp?.id)).toBe(true);
    expect(formatFollowUp(lawsuit!.followUp!, 'America/New_York')).toMatch(/^Follow-up to: .*, 1[78] Nov$/);
  });

  it('names the most recent earlier story when there were several', () => {
    const items = ofEvent('krebs-fired', 'digenova-shot', 'krebs-sues');
    const { alerts, storyOf } = replayStream(items);
    const shot = alerts.find((a) => a.story.title.includes('shot'));
    const lawsuit = alerts.find((a) => /sues/.test(a.story.title));
    const firingStories = new Set(ofEvent('krebs-fired').map((item) => storyOf.get(item.id)));
    expect(firingStories.has(shot?.followUp?.id)).toBe(true);
    // The lawsuit is about the "shot" remark: it follows up a story of that event, the one it resembles, not the firing.
    const shotStories = new Set(ofEvent('digenova-shot').map((item) => storyOf.get(item.id)));
    expect(shotStories.has(shot?.story.id)).toBe(true);
    expect(shotStories.has(lawsuit?.followUp?.id)).toBe(true);
  });

  it('is a new story even when it restates the earlier event, and a story from years before is no follow-up', () => {
    // The 2025 memorandum coverage repeats "fired", "2020 election", "secure" from the 2020 firing.
    const items = ofEvent('krebs-fired', 'trump-memo-krebs');
    const { alerts } = replayStream(items);
    const memo = alerts.filter((alert) => alert.story.firstSeenAt > Date.parse('2025-01-01'));
    expect(memo.length).toBeGreaterThanOrEqual(1);
    expect(memo[0]!.followUp).toBeUndefined();
  });

  it('keeps a deputy forced out "a day after Krebs firing" apart from the firing itself', () => {
    const items = ofEvent('krebs-fired', 'travis-out');
    const { storyOf } = replayStream(items);
    expect(clusterErrors(items, storyOf).mixedStories).toEqual([]);
    expect(lostEvents(items, storyOf)).toEqual([]);
  });
});

describe('unrelated stories about one entity on the same day', () => {
  it.each([
    ['Raffensperger: Graham ballots, death threats', ['raffensperger-graham', 'raffensperger-threats']],
    ['CISA: election staff on leave, Ivanti flaw', ['cisa-election-pause', 'cisa-kev-ivanti']],
  ])('stay separate stories (%s)', (_name, events) => {
    const items = ofEvent(...events);
    const { storyOf } = replayStream(items);
    const storiesOf = (event: string) => new Set(items.filter((i) => i.event === event).map((i) => storyOf.get(i.id)));
    const [first, second] = events.map(storiesOf);
    expect([...first!].some((story) => second!.has(story))).toBe(false);
    expect(clusterErrors(items, storyOf).mixedStories).toEqual([]);
  });
});

describe('the window', () => {
  const title = 'Trump fires CISA director Chris Krebs';
  const first = Date.parse('2020-11-18T00:30:00Z');
  const item = { title: 'Trump fires election security chief Chris Krebs' };

  it('lets a story absorb an item seen within the window of its latest item', () => {
    const candidate = refFor({ title }, 'st-1', ['krebs'], first);
    const match = chooseStory(storySignature(item), ['krebs'], [candidate], first + STORY_WINDOW_MS - HOUR, ctx);
    expect(match?.storyId).toBe('st-1');
    expect(match?.sharedEntities).toEqual(['krebs']);
    expect(match?.reason).toBe('near-duplicate');
  });

  it('does not let a story older than the window absorb a new item, even when its band row is still there', () => {
    const candidate = refFor({ title }, 'st-1', ['krebs'], first);
    expect(
      chooseStory(storySignature(item), ['krebs'], [candidate], first + STORY_WINDOW_MS + HOUR, ctx),
    ).toBeUndefined();
    expect(chooseStory(storySignature(item), ['krebs'], [candidate], first + HOUR, ctx, HOUR / 2)).toBeUndefined();
  });

  it('keeps a story going while coverage continues: the window runs from its latest item', () => {
    const items: LabelledItem[] = [0, 60, 120, 180].map((hours, index) => ({
      ...ofEvent('krebs-fired')[index]!,
      publishedAt: new Date(first + hours * HOUR).toISOString(),
    }));
    expect(replayStream(items).alerts).toHaveLength(1);
  });
});

describe('band keys', () => {
  const signature = storySignature({
    title: 'Trump fires CISA director Chris Krebs',
    summary: 'Krebs had led the agency since its creation in 2018.',
  });

  it('are scoped by entity: one set per entity, and items of different entities never share a key', () => {
    const krebs = storyBandKeys(signature, ['krebs']);
    const cisa = storyBandKeys(signature, ['cisa']);
    expect(krebs).toHaveLength(STORY_LSH.bands);
    expect(krebs.every((key) => key.startsWith('S#krebs#'))).toBe(true);
    expect(cisa.some((key) => krebs.includes(key))).toBe(false);
    expect(storyBandKeys(signature, ['krebs', 'cisa']).sort()).toEqual([...krebs, ...cisa].sort());
  });

  it('let a story match only an item that shares one of its entities', () => {
    const candidate = refFor({ title: 'Trump fires CISA director Chris Krebs' }, 'st-1', ['krebs'], 0);
    expect(chooseStory(signature, ['masterson'], [candidate], HOUR, ctx)).toBeUndefined();
    expect(chooseStory(signature, ['masterson', 'krebs'], [candidate], HOUR, ctx)?.storyId).toBe('st-1');
  });

  it('are the same on every run and every machine: rows written by an earlier release are still found', () => {
    expect(storyBandKeys(signature, ['krebs'])).toEqual(storyBandKeys(structuredClone(signature), ['krebs']));
    // Pinned: a changed hash or seed would orphan every band row already in the table.
    expect(storyBandKeys(storySignature({ title: 'Krebs fired' }), ['krebs']).slice(0, 2)).toEqual(
      PINNED_KEYS_FOR_KREBS_FIRED,
    );
  });

  it('are none for an item with no words, which then starts its own story', () => {
    const empty = storySignature({ title: ' - Reuters', publisher: 'Reuters' });
    expect(storyBandKeys(empty, ['krebs'])).toEqual([]);
    expect(
      chooseStory(empty, ['krebs'], [refFor({ title: 'Krebs fired' }, 'st-1', ['krebs'], 0)], 0, ctx),
    ).toBeUndefined();
  });
});

const PINNED_KEYS_FOR_KREBS_FIRED = ['S#krebs#0#ddab0ca2', 'S#krebs#1#0abc09dd'];

describe('determinism', () => {
  const headline = (id: string, firstSeenAt: number): StoryHeadline => ({
    id,
    title: id,
    entities: ['krebs'],
    firstSeenAt,
  });

  it('files a stream into the same stories on every replay', () => {
    const first = replayStream(tune);
    const second = replayStream(tune);
    expect([...second.storyOf]).toEqual([...first.storyOf]);
  });

  it('chooses the same story whatever order the store returns candidates in, ties included', () => {
    const item = storySignature({ title: 'Trump ousts election security chief Chris Krebs' });
    const candidates = [
      refFor({ title: 'Trump fires election security chief Krebs' }, 'st-b', ['krebs'], 0),
      refFor({ title: 'Trump sacks election security chief Krebs' }, 'st-a', ['krebs'], 0),
      refFor({ title: 'Krebs sues Trump campaign lawyer' }, 'st-c', ['krebs'], 0),
    ];
    const forward = chooseStory(item, ['krebs'], candidates, HOUR, ctx);
    expect(forward?.storyId).toBe('st-a');
    expect(chooseStory(item, ['krebs'], [...candidates].reverse(), HOUR, ctx)).toEqual(forward);
    const tied = [headline('x', 5), headline('w', 5)];
    expect(followUpOf(['krebs'], tied, 10)?.id).toBe(followUpOf(['krebs'], [...tied].reverse(), 10)?.id);
  });

  it('derives a story id from the item key alone, so a retried item starts the same story', () => {
    expect(storyIdFor('guid:abc')).toBe(storyIdFor('guid:abc'));
    expect(storyIdFor('guid:abc')).not.toBe(storyIdFor('guid:abd'));
  });

  it('estimates Jaccard similarity with seeded MinHash', () => {
    const a = Array.from({ length: 60 }, (_, i) => `t${i}`);
    const b = Array.from({ length: 60 }, (_, i) => `t${i + 20}`); // 40 shared of 80: Jaccard 0.5
    const [x, y] = [minHash(a, 256), minHash(b, 256)];
    const agreement = x.filter((value, i) => value === y[i]).length / 256;
    expect(agreement).toBeGreaterThan(0.4);
    expect(agreement).toBeLessThan(0.6);
  });
});

describe('story records', () => {
  const source = (n: number, link = `https://example.com/${n}`): StorySource => ({
    publisher: `Outlet ${n}`,
    link,
    title: `Story ${n}`,
    seenAt: n * HOUR,
  });

  it('count an outlet once, keep the first source and the newest ones, and advance lastSeenAt', () => {
    let story = startStory('st-1', storySignature({ title: 'Story' }), ['krebs'], source(0));
    story = addToStory(story, source(1), ['cisa']);
    story = addToStory(story, source(1), ['krebs']);
    expect(story.sources).toHaveLength(2);
    expect(story.entities).toEqual(['cisa', 'krebs']);
    for (let n = 2; n < MAX_STORY_SOURCES + 10; n++) story = addToStory(story, source(n), ['krebs']);
    expect(story.sources).toHaveLength(MAX_STORY_SOURCES);
    expect(story.sources[0]!.title).toBe('Story 0');
    expect(story.sources.at(-1)!.title).toBe(`Story ${MAX_STORY_SOURCES + 9}`);
    expect(story.lastSeenAt).toBe((MAX_STORY_SOURCES + 9) * HOUR);
    expect(story.firstSeenAt).toBe(0);
  });

  it('say nothing about other outlets when only one carried the story', () => {
    expect(formatAlsoIn(startStory('st-1', storySignature({ title: 'x' }), ['krebs'], source(0)))).toBe('');
  });
});

describe('followUpOf', () => {
  const day = 24 * HOUR;
  const now = 100 * day;
  const headline = (id: string, entities: string[], daysAgo: number): StoryHeadline => ({
    id,
    title: id,
    entities,
    firstSeenAt: now - daysAgo * day,
  });

  it('names the latest earlier story of the same entity within 30 days', () => {
    const recent = [
      headline('old', ['krebs'], 20),
      headline('newer', ['krebs'], 5),
      headline('other', ['sterling'], 1),
    ];
    expect(followUpOf(['krebs'], recent, now)?.id).toBe('newer');
  });

  it('prefers a story that shares more of the entities', () => {
    const recent = [headline('agency', ['cisa'], 1), headline('both', ['cisa', 'krebs'], 9)];
    expect(followUpOf(['cisa', 'krebs'], recent, now)?.id).toBe('both');
  });

  it('ignores stories beyond the horizon, the story itself and stories that start later', () => {
    const recent = [headline('stale', ['krebs'], 31), headline('self', ['krebs'], 0), headline('later', ['krebs'], -1)];
    expect(followUpOf(['krebs'], recent, now, FOLLOW_UP_HORIZON_MS, 'self')).toBeUndefined();
  });

  it('dates the earlier story in the time zone it is told, UTC by default', () => {
    const story = {
      id: 'x',
      title: 'Trump fires CISA director Krebs',
      entities: ['krebs'],
      firstSeenAt: Date.parse('2020-11-18T00:25:00Z'),
    };
    expect(formatFollowUp(story)).toBe('Follow-up to: Trump fires CISA director Krebs, 18 Nov');
    expect(formatFollowUp(story, 'America/New_York')).toBe('Follow-up to: Trump fires CISA director Krebs, 17 Nov');
  });
});

describe('a new development about a tracked person', () => {
  const at = (iso: string) => Date.parse(iso);
  const file = (lines: { title: string; time: string }[]) =>
    replayStream(
      lines.map((line, index) => ({
        id: `i${index}`,
        event: `e${index}`,
        entities: ['krebs', 'cisa'],
        publisher: 'Example',
        link: `https://example.test/${index}`,
        publishedAt: line.time,
        title: line.title,
        summary: '',
      })),
    );

  it.each([
    ['Trump fires CISA director Chris Krebs', 'CISA chief Krebs to testify before Senate committee'],
    ['Trump fires CISA director Chris Krebs', 'Former CISA director Chris Krebs joins Stanford as visiting fellow'],
    [
      'Trump fires Chris Krebs, head of US cybersecurity agency CISA',
      'Former CISA director Krebs leaves SentinelOne after presidential memo',
    ],
    ['Trump fires CISA director Chris Krebs', "Trump fires Krebs's deputy at CISA"],
    ["diGenova says Krebs should be 'shot'", "Krebs sues diGenova over 'shot' remark"],
  ])('alerts, however much of "%s" it repeats: %s', (earlier, later) => {
    const { alerts } = file([
      { title: earlier, time: '2020-11-18T00:30:00Z' },
      { title: later, time: '2020-11-19T10:00:00Z' },
    ]);
    expect(alerts).toHaveLength(2);
    expect(alerts[1]?.followUp?.title).toBe(earlier);
  });

  it('does not alert again for the same act reported by another outlet', () => {
    const { alerts } = file([
      { title: 'Trump fires CISA director Chris Krebs', time: '2020-11-18T00:30:00Z' },
      { title: 'Trump ousts CISA chief Krebs', time: '2020-11-18T01:30:00Z' },
    ]);
    expect(alerts).toHaveLength(1);
    expect(at('2020-11-18T00:30:00Z')).toBe(alerts[0]?.story.firstSeenAt);
  });
});
