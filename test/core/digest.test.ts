import { subjectProblems } from '../../lambda/adapters/sns-alert-sink';
import { buildDigest, digestAudienceKey, digestAudiences } from '../../lambda/core/digest';
import { formatDigestEmail, formatDigestSms, formatDigestSubject } from '../../lambda/core/format';
import { addToStory, type StoryRecord, startStory, storySignature } from '../../lambda/core/story';
import type { Entity } from '../../lambda/core/types';

const entity = (id: string, name: string): Entity => ({
  id,
  name,
  aliases: [name],
  ambiguous: [],
  context: [],
  excludes: [],
});
const ENTITIES = [
  entity('krebs', 'Christopher Krebs'),
  entity('cisa', 'CISA'),
  entity('raffensperger', 'Brad Raffensperger'),
];
const DAY = Date.UTC(2020, 10, 18);
const HOUR = 3_600_000;
const PERIOD = { from: DAY, to: DAY + 24 * HOUR };

function story(
  id: string,
  title: string,
  entities: string[],
  at: number,
  outlets: string[] = ['Reuters'],
): StoryRecord {
  const [first, ...others] = outlets.map((publisher, i) => ({
    publisher,
    link: `https://${publisher.replace(/\W/g, '').toLowerCase()}.test/${id}`,
    title,
    seenAt: at + i * 60_000,
  }));
  return others.reduce(
    (record, source) => addToStory(record, source, entities),
    startStory(id, storySignature({ title }), entities, first!),
  );
}

const fired = story('st-fired', 'Trump fires CISA director Chris Krebs', ['cisa', 'krebs'], DAY + HOUR, [
  'Reuters',
  'BBC News',
  'Sky News',
]);
const directive = story('st-directive', 'CISA issues emergency directive on SolarWinds', ['cisa'], DAY + 9 * HOUR);
const ballots = story(
  'st-ballots',
  'Raffensperger says Graham asked him to toss ballots',
  ['raffensperger'],
  DAY + 2 * HOUR,
);
const yesterday = story('st-old', 'Krebs defends election security', ['krebs'], DAY - HOUR);

describe('buildDigest', () => {
  it('groups the day’s stories by entity in watchlist order, each story once, with its reports', () => {
    const digest = buildDigest([directive, ballots, fired, yesterday], ENTITIES, PERIOD);
    expect(digest?.storyCount).toBe(3);
    expect(digest?.groups.map((group) => [group.entityName, group.stories.map((s) => s.id)])).toEqual([
      ['Christopher Krebs', ['st-fired']],
      ['CISA', ['st-directive']],
      ['Brad Raffensperger', ['st-ballots']],
    ]);
    const [firedEntry] = digest!.groups[0]!.stories;
    expect(firedEntry?.alsoAbout).toEqual(['CISA']);
    expect(firedEntry?.sources.map((source) => source.publisher)).toEqual(['Reuters', 'BBC News', 'Sky News']);
  });

  it('covers only the entities asked for, and gives nothing at all on a day without their stories', () => {
    expect(buildDigest([directive, ballots, fired], [ENTITIES[2]!], PERIOD)?.groups.map((g) => g.entityId)).toEqual([
      'raffensperger',
    ]);
    expect(buildDigest([yesterday], ENTITIES, PERIOD)).toBeUndefined();
    expect(buildDigest([], ENTITIES, PERIOD)).toBeUndefined();
    expect(buildDigest([ballots], [ENTITIES[0]!], PERIOD)).toBeUndefined();
  });
});

describe('digest audiences', () => {
  it('gives one audience per distinct entity choice, "all" for subscribers who chose none', () => {
    expect(digestAudiences([undefined, ['krebs', 'cisa'], ['cisa', 'krebs'], ['krebs'], undefined])).toEqual([
      { key: 'all' },
      { key: 'cisa,krebs', entities: ['cisa', 'krebs'] },
      { key: 'krebs', entities: ['krebs'] },
    ]);
    expect(digestAudienceKey([])).toBe('all');
  });
});

describe('formatDigestEmail', () => {
  const digest = buildDigest([directive, ballots, fired], ENTITIES, PERIOD)!;

  it('lists each entity’s stories with when they started, how widely they ran, and every report with its link', () => {
    const lines = formatDigestEmail(digest).split('\n');
    expect(lines.slice(0, 2)).toEqual(['News alerts digest: 18 Nov 2020 (UTC)', '3 stories about 3 tracked entities.']);
    const at = lines.indexOf('Christopher Krebs');
    expect(lines.slice(at, at + 8)).toEqual([
      'Christopher Krebs',
      '=================',
      '',
      'Trump fires CISA director Chris Krebs',
      '  First seen 2020-11-18 01:00 UTC, 3 reports; also about CISA',
      '  - Reuters: https://reuters.test/st-fired',
      '  - BBC News: https://bbcnews.test/st-fired',
      '  - Sky News: https://skynews.test/st-fired',
    ]);
    expect(lines).toContain('CISA issues emergency directive on SolarWinds');
    expect(lines.at(-1)).toMatch(/unsubscribe/);
  });

  it('keeps a hostile title on its line and drops a link that is not http(s)', () => {
    const hostile = story('st-x', 'Krebs\nBcc: victim@example.test', ['krebs'], DAY + HOUR);
    hostile.sources[0]!.link = 'javascript:alert(1)';
    const body = formatDigestEmail(buildDigest([hostile], ENTITIES, PERIOD)!);
    expect(body).toContain('\nKrebs Bcc: victim@example.test\n');
    expect(body).toContain('\n  - Reuters\n');
  });

  it('stays within the SNS message size on a day of thousands of stories, counting what it leaves out', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      story(`st-${i}`, `Krebs story number ${i} ${'word '.repeat(20)}`, ['krebs'], DAY + i, ['A', 'B', 'C', 'D']),
    );
    const body = formatDigestEmail(buildDigest(many, ENTITIES, PERIOD)!);
    expect(Buffer.byteLength(body)).toBeLessThan(256 * 1024 - 4096);
    expect(body).toMatch(/\.\.\. and \d+ more stories, left out/);
    expect(body).toContain('Krebs story number 0 ');
  });
});

describe('formatDigestSubject', () => {
  it('is a valid SNS subject naming the day and the number of stories', () => {
    const subject = formatDigestSubject(buildDigest([fired], ENTITIES, PERIOD)!);
    expect(subject).toBe('[news-alerts] Digest for 18 Nov 2020 (UTC): 1 story');
    expect(subjectProblems(subject)).toEqual([]);
    const rolling = formatDigestSubject(
      buildDigest([fired, ballots], ENTITIES, { from: DAY - 7 * HOUR, to: DAY + 17 * HOUR })!,
    );
    expect(rolling).toBe('[news-alerts] Digest for 2020-11-17 17:00 UTC to 2020-11-18 17:00 UTC: 2 stories');
    expect(subjectProblems(rolling)).toEqual([]);
  });
});

describe('formatDigestSms', () => {
  it('gives an SMS subscriber, who may have no email, each entity’s headlines by its short name', () => {
    const withAliases = ENTITIES.map((e) => (e.id === 'raffensperger' ? { ...e, ambiguous: ['Raffensperger'] } : e));
    const sms = formatDigestSms(buildDigest([fired, directive, ballots], withAliases, PERIOD)!);
    expect(sms).toBe(
      'News alerts digest to 2020-11-19 00:00 UTC: 3 stories. Christopher Krebs: Trump fires CISA director Chris Krebs;' +
        ' CISA: CISA issues emergency directive on SolarWinds; Raffensperger: Raffensperger says Graham asked him to toss ballots',
    );
  });

  it('stays within four segments on a busy day, counting the stories left out', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      story(`st-${i}`, `Krebs story number ${i} ${'word '.repeat(20)}`, ['krebs'], DAY + i),
    );
    const sms = formatDigestSms(buildDigest(many, ENTITIES, PERIOD)!);
    expect(sms.length).toBeLessThanOrEqual(612);
    expect(sms).toMatch(/ \| Krebs story number 1 .* \(\+\d+ more\)$/);
  });
});
