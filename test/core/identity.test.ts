// itemIdentity and titleFingerprint: the same story keeps its keys across GUID changes and re-tagged links.
import { itemIdentity, titleFingerprint } from '../../lambda/core/identity';
import { normalizeItem } from '../../lambda/core/normalize';
import type { RawItem } from '../../lambda/core/types';

const FEED = { name: 'BBC News - US & Canada', url: 'https://feeds.bbci.co.uk/news/world/us_and_canada/rss.xml' };
const identify = (raw: RawItem) => itemIdentity(normalizeItem(raw, FEED));

const KREBS: RawItem = {
  guid: 'tag:bbc.co.uk,2020-11-18:world-us-canada-54982360',
  title: 'Trump fires US election cyber-security official Chris Krebs',
  link: 'https://www.bbc.co.uk/news/world-us-canada-54982360?at_medium=RSS&at_campaign=KARANGA',
  published: 'Wed, 18 Nov 2020 02:16:00 GMT',
};

describe('itemIdentity', () => {
  it('keys on the GUID, with the canonical link and title fingerprint as aliases', () => {
    const identity = identify(KREBS);
    expect(identity.key).toMatch(/^g:[0-9a-f]{16}$/);
    expect(identity.aliasKeys).toHaveLength(2);
    expect(identity.aliasKeys[0]).toMatch(/^l:[0-9a-f]{16}$/);
    expect(identity.aliasKeys[1]).toMatch(/^f:[0-9a-f]{16}$/);
  });

  it('is deterministic', () => {
    expect(identify(KREBS)).toEqual(identify({ ...KREBS }));
  });

  it('gives different items different keys', () => {
    const other = identify({
      guid: 'https://www.bbc.co.uk/news/world-us-canada-55000000',
      title: 'Georgia recount confirms Biden win, says Brad Raffensperger',
      link: 'https://www.bbc.co.uk/news/world-us-canada-55000000',
    });
    const krebs = identify(KREBS);
    expect(other.key).not.toBe(krebs.key);
    expect(other.aliasKeys.some((alias) => krebs.aliasKeys.includes(alias))).toBe(false);
  });

  it('treats BBC’s `<link>#0` GUID as the link', () => {
    const identity = identify({ ...KREBS, guid: 'https://www.bbc.co.uk/news/world-us-canada-54982360#0' });
    expect(identity.key).toBe(identify({ ...KREBS, guid: undefined }).key);
    expect(identity.key).toMatch(/^l:/);
    expect(identity.aliasKeys).toEqual([expect.stringMatching(/^f:/)]);
  });

  it('treats a GUID that is just the link as the link', () => {
    const permalink = identify({
      guid: 'https://www.bbc.co.uk/news/a?utm_source=x',
      title: 'Short',
      link: 'https://www.bbc.co.uk/news/a',
    });
    const noGuid = identify({ title: 'Short', link: 'https://www.bbc.co.uk/news/a' });
    expect(permalink.key).toMatch(/^l:/);
    expect(permalink.key).toBe(noGuid.key);
  });

  it('shares an alias with the same story after the feed changes its GUIDs', () => {
    const before = identify(KREBS);
    const after = identify({ ...KREBS, guid: 'bbc-54982360-v2' });
    expect(after.key).not.toBe(before.key);
    expect(after.aliasKeys).toContain(before.aliasKeys[0]);
  });

  it('shares an alias when only tracking parameters on the link change', () => {
    const before = identify({ title: 'Krebs', link: 'https://example.com/krebs?utm_source=rss' });
    const after = identify({ title: 'Krebs', link: 'https://EXAMPLE.com/krebs?fbclid=abc#top' });
    expect(after.key).toBe(before.key);
  });

  it('shares the title fingerprint key between a Google News copy and the publisher’s own item', () => {
    const google = itemIdentity(
      normalizeItem(
        {
          guid: 'CBMiPmh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdz',
          title: 'Trump fires US election cyber-security official Chris Krebs - BBC News',
          link: 'https://news.google.com/rss/articles/CBMiPmh0dHBzOi8vd3d3LmJiYy5jby51ay9uZXdz?oc=5',
          source: { name: 'BBC News', url: 'https://www.bbc.co.uk' },
          published: 'Wed, 18 Nov 2020 05:40:00 GMT',
        },
        { name: 'Google News', url: 'https://news.google.com/rss/search?q=krebs' },
      ),
    );
    const fingerprintKey = identify(KREBS).aliasKeys.find((alias) => alias.startsWith('f:'));
    expect(fingerprintKey).toBeDefined();
    expect(google.aliasKeys).toContain(fingerprintKey);
  });

  it('falls back to title and date when there is neither GUID nor link', () => {
    const identity = identify({ title: 'Masterson leaves CISA', published: '2021-01-04T12:00:00Z' });
    expect(identity.key).toMatch(/^t:[0-9a-f]{16}$/);
    expect(identify({ title: 'Masterson  leaves CISA!', published: '2021-01-04T12:00:00Z' }).key).toBe(identity.key);
    expect(identify({ title: 'Masterson leaves CISA', published: '2021-01-05T12:00:00Z' }).key).not.toBe(identity.key);
  });

  it('tells apart untitled items with neither GUID nor link by their text', () => {
    const first = identify({ summary: 'Sterling: threats against election workers must stop' });
    const second = identify({ summary: 'Raffensperger certifies Georgia results' });
    expect(first.key).toMatch(/^t:/);
    expect(first.key).not.toBe(second.key);
  });

  it('gives short titles no fingerprint alias, so a recurring "Morning briefing" is not taken for yesterday’s', () => {
    const monday = identify({ guid: 'brief-2020-11-16', title: 'Morning briefing', link: 'https://example.com/b/16' });
    const tuesday = identify({ guid: 'brief-2020-11-17', title: 'Morning briefing', link: 'https://example.com/b/17' });
    expect(monday.aliasKeys.some((alias) => alias.startsWith('f:'))).toBe(false);
    expect(tuesday.aliasKeys).not.toEqual(expect.arrayContaining(monday.aliasKeys));
  });

  it('takes the same long title on another day for another item: a recurring livestream is not yesterday’s', () => {
    const live = (day: number) =>
      identify({
        guid: `11alive-${day}`,
        title: 'WATCH LIVE: Raffensperger holds news conference',
        link: `https://www.11alive.test/video/${day}`,
        published: `2020-11-${day}T15:00:00Z`,
      });
    const fingerprintOf = (day: number) => live(day).aliasKeys.find((alias) => alias.startsWith('f:'));
    expect(fingerprintOf(16)).toBeDefined();
    expect(fingerprintOf(20)).not.toBe(fingerprintOf(16));
    // The same day, under another GUID and link: the same report.
    expect(
      identify({ ...KREBS, guid: 'copy-1', link: 'https://mirror.test/1', published: 'Wed, 18 Nov 2020 09:00:00 GMT' })
        .aliasKeys,
    ).toContain(identify(KREBS).aliasKeys[1]);
  });

  it('scopes a short site-local GUID by the link host, so two sites’ "12345" do not collide', () => {
    const a = identify({ guid: '12345', title: 'A', link: 'https://site-a.example/story' });
    const b = identify({ guid: '12345', title: 'B', link: 'https://site-b.example/other' });
    expect(a.key).toMatch(/^g:/);
    expect(a.key).not.toBe(b.key);
  });

  it('keeps globally unique GUIDs unscoped, so the same GUID via another link is the same item', () => {
    const a = identify({ guid: 'tag:therecord.media,2020:krebs-1', title: 'A', link: 'https://therecord.media/a' });
    const b = identify({ guid: 'tag:therecord.media,2020:krebs-1', title: 'A', link: 'https://mirror.example/a' });
    expect(a.key).toBe(b.key);
  });
});

describe('titleFingerprint', () => {
  it.each([
    ['Trump fires CISA director Chris Krebs - BBC News', 'trump fires cisa director chris krebs'],
    ['Trump fires CISA director Chris Krebs – The New York Times', 'trump fires cisa director chris krebs'],
    ['Raffensperger: “We certified”', 'raffensperger we certified'],
    ["Krebs’s testimony, Krebs's words", 'krebss testimony krebss words'],
    ['Élection sécurisée à Genève', 'election securisee a geneve'],
    ['  CISA\u00a0\u00a0 and   the   vote  ', 'cisa and the vote'],
    ['Georgia recount - Day 2', 'georgia recount day 2'],
    ['Krebs fired - what it means for election security', 'krebs fired what it means for election security'],
    // A series tail, or a tail too long for a publisher's name, is the headline's own.
    [
      'Gabriel Sterling gives Georgia election update - Tuesday',
      'gabriel sterling gives georgia election update tuesday',
    ],
    ['Raffensperger Recount – Live Updates', 'raffensperger recount live updates'],
    [
      'Brad Raffensperger Georgia Recount Live Updates – Trump Campaign Requests Second Recount',
      'brad raffensperger georgia recount live updates trump campaign requests second recount',
    ],
    ['Georgia certifies results | The Atlanta Journal-Constitution', 'georgia certifies results'],
  ])('%j -> %j', (title, fingerprint) => {
    expect(titleFingerprint(title)).toBe(fingerprint);
  });
});
