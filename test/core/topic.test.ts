// Bare ambiguous names decided by topic profiles: the shipped seed, link excludes, explanations, and learning.

import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher, type MatchableItem, type MatchContext } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { DEFAULT_TOPIC_LIMITS, type LearnedTopic, learnTopic } from '../../lambda/core/topic-profile';
import type { Entity } from '../../lambda/core/types';
import { startTopicLearning, TOPIC_SEED } from '../../lambda/pipeline/topic-learning';

const NOW = Date.UTC(2025, 4, 1);
const DAY = 86_400_000;
const watchlist = loadWatchlist();
const compiled = compileMatcher(watchlist.entities);
const seeded = compiled.withTopics(TopicModel.build(watchlist.entities, { seed: TOPIC_SEED, now: NOW }));
const ids = (item: MatchableItem | string, matcher = seeded) =>
  matcher.match(typeof item === 'string' ? { title: item } : item).map((match) => match.entityId);

describe('the default watchlist with the shipped seed profile', () => {
  it.each([
    ['Krebs: foreign hackers did not change a single vote', ['krebs']],
    ["Trump's lawyer sued by Krebs over remarks on Newsmax", ['krebs']],
    ['Masterson: every ballot in 2020 had a paper record', ['masterson']],
    ['CISA staff to be cut by a third', ['cisa']],
  ])('finds the tracked official named by surname alone: %s', (title, expected) => {
    expect(ids(title, compiled)).toEqual([]); // context phrases alone miss it
    expect(ids(title)).toEqual(expected);
  });

  it.each([
    'Krebs cycle enzymes in cancer cells',
    'Raheem Sterling signs for Arsenal',
    'Sterling hits a two-year high against the euro',
    'CISA exam: how to become an IT auditor',
    'Ubiquiti drops defamation suit against Brian Krebs',
  ])('stays silent on the look-alike: %s', (title) => {
    expect(ids(title)).toEqual([]);
  });

  it('shows the words that tipped a bare name, with the score and the margin', () => {
    const [match] = seeded.match({ title: 'Krebs: foreign hackers did not change a single vote' });
    const { topic } = match!.evidence[0]!;
    expect(topic!.margin).toBeGreaterThan(0);
    expect(topic!.score).toBeCloseTo(topic!.margin + TopicModel.build([], { now: NOW }).settings.threshold, 2);
    expect(topic!.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['vot', 'foreign']));
    expect(topic!.terms.find((t) => t.term === 'vot')!.weight).toBeGreaterThan(0);
  });

  it("admits the agency's acronym when only other names' look-alikes lean away, and says so", () => {
    const title = 'CISA lends staff to FEMA as wildfires rage in Los Angeles';
    // Generic news words ("Los Angeles", "FEMA") that namesakes' news taught the pool lean away...
    const pooled = TopicModel.build(
      watchlist.entities,
      { seed: TOPIC_SEED, now: NOW },
      {
        ...TopicModel.build([], { now: NOW }).settings,
        acronymPoolFloor: Number.POSITIVE_INFINITY,
      },
    );
    expect(ids(title, compiled.withTopics(pooled))).toEqual([]);
    // ...but the exam, the 2015 Act and the leagues that share the letters do not: the agency alerts.
    const [match] = seeded.match({ title });
    expect(match!.entityId).toBe('cisa');
    const { topic } = match!.evidence[0]!;
    expect(topic!.score).toBeLessThan(0);
    expect(topic!.ownScore).toBeGreaterThanOrEqual(topic!.score);
    expect(topic!.margin).toBeGreaterThanOrEqual(0);
    // A surname's look-alikes are people, whose news the pool knows: the same words keep Masterson's namesake out.
    expect(ids('Masterson lends staff to FEMA as wildfires rage in Los Angeles')).toEqual([]);
    // And the acronym's own look-alikes still refuse it.
    expect(ids('CISA exam: how to become an IT auditor')).toEqual([]);
  });

  it('does not let the profile admit a surname followed by a family business, which a context phrase still can', () => {
    // Beat words the profile leans towards: without the business noun, the profile lets them in.
    expect(ids('Masterson ranch sues Trump administration over deportation')).toEqual([]);
    expect(ids('Masterson sues Trump administration over deportation')).toEqual(['masterson']);
    expect(ids('Sterling farm sues county over election night crash')).toEqual([]);
    expect(ids('Krebs farm receives threats after CISA firing')).toContain('krebs');
  });

  it('does not let the profile admit a surname another walk of life introduces, which a context phrase still can', () => {
    // Each alerts without its occupation: the profile leans towards the rest of the words.
    expect(ids('Masterson warns Trump administration over voting machines')).toEqual(['masterson']);
    expect(ids('Volleyball coach Masterson warns Trump administration over voting machines')).toEqual([]);
    expect(ids("Sheriff's deputy Krebs warns voters about election scams")).toEqual([]);
    expect(ids('Krebs, a Wichita dairy farmer, warns voters about election scams')).toEqual([]);
    expect(ids('Kennesaw State hires Sterling as volleyball coach after election')).toEqual([]);
    expect(ids('Economist Krebs warns Trump tariffs will hurt election turnout')).toEqual([]);
    expect(ids('Krebs warns voters about election scams')).toEqual(['krebs']);
    expect(ids('Reporter Krebs warns voters about election scams')).toEqual([]);
    // A local election office none of the tracked officials held is a namesake on their beat.
    expect(ids('Masterson, county clerk, defends new voting machines')).toEqual([]);
    expect(ids('Masterson defends new voting machines')).toEqual(['masterson']);
    // In a list, or as a post taken, the office is someone else's.
    expect(ids('Subpoenas issued to Raffensperger, Coffee County clerk')).toEqual(['raffensperger']);
    expect(ids('Judge orders Raffensperger, Cobb registrar to restore purged voters')).toEqual(['raffensperger']);
    // A context phrase still decides: the look-alike's words never outweigh hard evidence.
    expect(ids('Krebs, now a volunteer coach, on CISA and election security')).toContain('krebs');
    // The tracked person's own roles are never another walk of life.
    expect(ids('Georgia election official Sterling warns of threats to poll workers')).toEqual(['sterling']);
    expect(ids('Fired cyber chief Krebs says the vote was secure')).toEqual(['krebs']);
  });

  it('refuses a surname alias another walk of life introduces, and says why', () => {
    expect(ids('Raffensperger says Georgia audit confirmed the count')).toEqual(['raffensperger']);
    expect(ids('Dairy farmer Raffensperger honored for conservation')).toEqual([]);
    expect(ids('Raffensperger, Lancaster County dairy farmer, honored for conservation')).toEqual([]);
    expect(ids('Lancaster hires Raffensperger as wrestling coach')).toEqual([]);
    // An occupation that is a verb's object, or an honour's capitalized name, introduces no namesake.
    expect(ids("Trump tells reporter Raffensperger is a 'loser'")).toEqual(['raffensperger']);
    expect(ids('Raffensperger named Defender of Democracy by civic group')).toEqual(['raffensperger']);
    expect(ids('Ohio reporter Raffensperger wins press award')).toEqual([]);
    expect(ids('Raffensperger named wrestling coach at Lancaster')).toEqual([]);
    // A relative's job, an age, a guest byline or an honour is no walk of life of the person named.
    expect(ids('Raffensperger, whose father was a pastor, talks faith and politics')).toEqual(['raffensperger']);
    expect(ids('Raffensperger, son of a teacher, pitches civics overhaul')).toEqual(['raffensperger']);
    expect(ids('Raffensperger as a teenager: a Columbus kid who loved engineering')).toEqual(['raffensperger']);
    expect(ids("Guest columnist Raffensperger: Georgia's elections are secure")).toEqual(['raffensperger']);
    expect(ids('Raffensperger named honorary coach for Georgia Tech spring game')).toEqual(['raffensperger']);
    // A pastime is no walk of life either.
    expect(ids('Raffensperger, a Sunday school teacher, talks faith and the 2020 threats')).toEqual(['raffensperger']);
    expect(ids('Raffensperger, a Lancaster school teacher, talks faith')).toEqual([]);
    // So is a post held for a day.
    expect(ids('Raffensperger, principal for a day, reads Dr. Seuss to Johns Creek kindergartners')).toEqual([
      'raffensperger',
    ]);
    expect(ids('Raffensperger named firefighter for a day in Johns Creek')).toEqual(['raffensperger']);
    expect(ids('Raffensperger named firefighter in Johns Creek')).toEqual([]);
    expect(ids('Teen Raffensperger wins state wrestling title')).toEqual([]);
    expect(ids('Dauphin County honors election judge Raffensperger for 30 years')).toEqual([]);
    for (const [title, entityId] of [
      ['Dairy farmer Masterson on ballots', 'masterson'],
      ['Dairy farmer Raffensperger on ballots', 'raffensperger'],
    ] as const) {
      const refusals: NonNullable<MatchContext['refusals']> = [];
      seeded.match({ title }, { refusals });
      expect(refusals).toEqual([expect.objectContaining({ entityId, reason: 'other-occupation' })]);
    }
  });

  it("reads an office the entity's own phrases name as the person's own, not a namesake's honorific", () => {
    const title = 'Former Sandy Springs councilman Sterling warns of election disinformation';
    expect(ids(title)).toEqual(['sterling']);
    // AP style capitalizes the office: it is no given name either.
    expect(ids('Former Sandy Springs Councilman Sterling warns of election disinformation')).toEqual(['sterling']);
    const withoutOffice = watchlist.entities.map((entity) =>
      entity.id === 'sterling'
        ? { ...entity, topics: entity.topics!.filter((phrase) => !phrase.includes('councilman')) }
        : entity,
    );
    const matcher = compileMatcher(withoutOffice).withTopics(
      TopicModel.build(withoutOffice, { seed: TOPIC_SEED, now: NOW }),
    );
    expect(ids(title, matcher)).toEqual([]);
    expect(ids('Councilman Krebs warns of election disinformation')).toEqual([]);
  });

  it('reads no occupation from a plural, a list or the person named in full: each is still the official', () => {
    expect(ids("Trump tells reporters Raffensperger is 'an enemy of the people'")).toEqual(['raffensperger']);
    expect(ids('Threats against Raffensperger, journalists and poll workers surge')).toEqual(['raffensperger']);
    expect(ids('Brad Raffensperger, a Georgia farmer, wins GOP primary')).toEqual(['raffensperger']);
    expect(ids('Raffensperger, a key player in the 2020 fight, wins GOP primary')).toEqual(['raffensperger']);
    expect(ids('Trump tells reporters Krebs should be fired')).toEqual(['krebs']);
  });

  it('lets a user track someone by an occupation the rule would otherwise read as another person', () => {
    const farmer: Entity = {
      id: 'farmer',
      name: 'Tom Raffensperger',
      aliases: ['Raffensperger'],
      ambiguous: [],
      context: ['dairy farmer'],
      excludes: [],
    };
    const title = 'Dairy farmer Raffensperger honored for conservation';
    expect(
      compileMatcher([farmer])
        .match({ title })
        .map((m) => m.entityId),
    ).toEqual(['farmer']);
    expect(ids(title)).toEqual([]);
  });

  it("still alerts on the official's family: threats against it are news about the official", () => {
    expect(ids('Krebs family receives death threats after Trump lawyer remarks')).toEqual(['krebs']);
    expect(ids('Sterling family targeted by threats after election')).toEqual(['sterling']);
  });

  it('lets context phrases stay hard evidence and excludes hard vetoes, whatever the words lean to', () => {
    // Football words, but a context phrase: counted. Election words, but an exclude: vetoed.
    expect(ids('Gwinnett Sterling goal celebration as Arsenal win')).toEqual(['sterling']);
    expect(ids('Brian Krebs: hackers target voters and ballots in election')).toEqual([]);
  });
});

describe('excludes see where an item comes from', () => {
  const title = 'Krebs on election security: how scammers exploit voter registration sites';

  it('vetoes the bare name when an exclude is in the link host or path, the publisher or the feed name', () => {
    expect(ids(title)).toEqual(['krebs']);
    expect(ids({ title, link: 'https://krebsonsecurity.com/2024/10/voter-registration-scams/' })).toEqual([]);
    expect(ids({ title, link: 'https://example.com/blog/brian-krebs-on-voter-scams' })).toEqual([]);
    expect(ids({ title, publisher: 'Krebs on Security' })).toEqual([]);
    expect(seeded.match({ title }, { feed: 'KrebsOnSecurity' })).toEqual([]);
  });

  it('vetoes only by an exclude that names the look-alike itself: an outlet named otherwise may report on the entity', () => {
    // "ISACA" is an exclude of CISA's (the audit credential's body), but a source named after it is not CISA's look-alike
    // unless it holds the word: the bare "CISA" there is still the agency when the words lean to it.
    const advisory = 'CISA warns of election phishing aimed at county officials';
    expect(ids({ title: advisory, publisher: 'ISACA Journal' })).toEqual(['cisa']);
    expect(ids({ title: advisory, publisher: 'CISA exam prep weekly' })).toEqual([]);
  });

  it('leaves aliases and other entities alone', () => {
    const item = { title: 'Chris Krebs and CISA on voter registration scams', link: 'https://krebsonsecurity.com/x' };
    expect(ids(item)).toEqual(['krebs', 'cisa']);
  });
});

describe('topics: in the watchlist', () => {
  const jordan: Entity = {
    id: 'jordan',
    name: 'Jim Jordan',
    aliases: ['Jim Jordan'],
    ambiguous: ['Jordan'],
    context: ['House Judiciary'],
    excludes: ['Michael Jordan'],
  };

  it('seeds the profile of an entity the seed does not know', () => {
    const title = 'Jordan subpoenas FBI over censorship claims';
    const entities = [{ ...jordan, topics: ['subpoena', 'FBI', 'censorship', 'Republicans'] }];
    const withTopics = compileMatcher(entities).withTopics(TopicModel.build(entities, { now: NOW }));
    expect(ids(title, compileMatcher([jordan]).withTopics(TopicModel.build([jordan], { now: NOW })))).toEqual([]);
    expect(ids(title, withTopics)).toEqual(['jordan']);
  });
});

describe('learning from the feeds', () => {
  const sterling = watchlist.entities.filter((entity) => entity.id === 'sterling');
  const matcher = compileMatcher(sterling);
  const item = (title: string, summary = '') => ({
    title,
    summary,
    link: `https://news.test/${encodeURIComponent(title)}`,
  });

  async function learnFrom(items: MatchableItem[], store = new MemoryStateStore()) {
    const learning = await startTopicLearning(store, sterling, matcher, NOW, { seed: {} });
    const found = items.map((i) => learning.matcher.match(i).map((m) => m.entityId));
    await learning.save(NOW);
    return { found, learned: await store.loadTopics(), store };
  }

  it('learns from items the rules settled, and decides later bare names with it', async () => {
    const certain = [
      item('Gabriel Sterling defends Fulton County absentee ballot count'),
      item('Gabe Sterling says absentee ballot drop boxes are secure'),
      item('Pound sterling slides as gilt yields climb'),
      item('Sterling silver jewellery sales climb as gilt yields fall'),
    ];
    const { learned, store } = await learnFrom(certain);
    expect(learned).toHaveLength(1);
    expect(learned[0]!.about.docs).toBe(2);
    expect(learned[0]!.other.docs).toBe(2);
    const bare = item('Sterling: absentee ballot backlog cleared');
    const again = await startTopicLearning(store, sterling, matcher, NOW + DAY, { seed: {} });
    expect(again.matcher.match(bare).map((m) => m.entityId)).toEqual(['sterling']);
    expect(again.matcher.match(item('Sterling slides as gilt yields climb')).map((m) => m.entityId)).toEqual([]);
  });

  it('never learns from an item its profile let in: a stream teaches the same without those items', async () => {
    const stream = [
      item('Gabriel Sterling defends Fulton County absentee ballot count'),
      item('Sterling: absentee ballot backlog cleared'),
      item('Sterling says ballot audit found no problems'),
      item('Raheem Sterling scores twice for Chelsea'),
      item('Sterling: ballot audit drop boxes absentee voters'),
    ];
    // The first pass teaches a profile; the second starts from it, as the next poll would.
    const first = await learnFrom(stream);
    const second = await learnFrom(stream, first.store);
    const admitted = stream.filter((_, index) => {
      const viaProfile = second.found[index]!.length > 0 && !/Gabriel|Gabe/.test(stream[index]!.title);
      return viaProfile;
    });
    expect(admitted.length).toBeGreaterThan(0);
    const withoutAdmitted = stream.filter((i) => !admitted.includes(i));
    const replay = await learnFrom(withoutAdmitted);
    const replayAgain = await learnFrom(withoutAdmitted, replay.store);
    expect(second.learned).toEqual(replayAgain.learned);
    // And the profile decides every item as the profile learned without them decides it.
    const decide = async (learned: LearnedTopic[]) => {
      const model = TopicModel.build(sterling, { learned, now: NOW });
      return stream.map((i) => ids(i, matcher.withTopics(model)));
    };
    expect(await decide(second.learned)).toEqual(await decide(replayAgain.learned));
  });

  it('counts an item read again on a later poll once', async () => {
    const stream = [item('Gabriel Sterling defends Fulton County absentee ballot count')];
    const first = await learnFrom(stream);
    const second = await learnFrom(stream, first.store);
    expect(second.learned[0]!.about.docs).toBe(1);
  });

  it('keeps each side to its heaviest terms, and lets old lessons fade', () => {
    const limits = { ...DEFAULT_TOPIC_LIMITS, termsPerSide: 5, halfLifeMs: 10 * DAY };
    const examples = Array.from({ length: 20 }, (_, i) => ({
      key: `k${i}`,
      side: 'about' as const,
      terms: ['ballot', `word${i}`],
    }));
    const learned = learnTopic(undefined, 'sterling', examples, NOW, limits);
    expect(Object.keys(learned.about.terms)).toHaveLength(5);
    expect(learned.about.terms.ballot).toBe(20);
    const later = learnTopic(
      learned,
      'sterling',
      [{ key: 'new', side: 'other', terms: ['pound'] }],
      NOW + 10 * DAY,
      limits,
    );
    expect(later.about.terms.ballot).toBe(10);
    expect(later.about.docs).toBe(10);
    expect(later.other.docs).toBe(1);
  });
});
