// A verdict teaches its entity's topic profile, once, in each store (memory, the local file across reloads, DynamoDB
// on dynalite): a later bare-surname item with the wrong alert's words is refused, and nothing else moves: not another
// entity's decisions, not an item that names the person by alias or beside a context phrase.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { DynamoVerdictStore } from '../../lambda/adapters/dynamo-verdicts';
import { FileStateStore } from '../../lambda/adapters/file-state-store';
import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { itemHash } from '../../lambda/core/topic-profile';
import { itemTopicText } from '../../lambda/core/topic-terms';
import { alertIdFor } from '../../lambda/pipeline';
import { startTopicLearning } from '../../lambda/pipeline/topic-learning';
import type { ItemRecord, StateStore, VerdictStore } from '../../lambda/ports';
import { type LocalDynamo, startDynalite } from '../support/dynalite';

const NOW = Date.parse('2026-11-18T12:00:00Z');
const { entities } = loadWatchlist();
const compiled = compileMatcher(entities);

/** Alerted through the profile (a bare surname, words that leaned towards the official): a reader says it is wrong. */
const WRONG = {
  title: 'Krebs brewery vote drew record crowds',
  summary: 'The brewery in Krebs, Pittsburg County, won the readers vote for its Choc beer.',
};
const SIMILAR = 'Krebs brewery festival vote drew record crowds';
const OFFICIAL = 'Krebs: foreign hackers did not change a single vote';
const ALIAS = 'Chris Krebs brewery beer vote draws record turnout';
const CONTEXT = 'Krebs brewery beer vote: a talk on election security';
const OTHER_ENTITY = 'Masterson brewery festival vote drew record crowds';

const record: ItemRecord = {
  identity: { key: 'guid:krebs-brewing-100', aliasKeys: [] },
  feedUrl: 'https://news.test/feed.xml',
  title: WRONG.title,
  alerted: { entities: ['krebs'], text: itemTopicText(WRONG) },
};
const ALERT_ID = alertIdFor(record.identity.key);

type Store = StateStore & VerdictStore;

/**
 * One poll's matching with the store's profiles, then its save, as poll does: entity ids and topic scores by title.
 * `save` false: a look only (items that name him for certain would teach the profile their words).
 */
async function poll(store: Store, at: number, titles: string[], save = true) {
  const learning = await startTopicLearning(store, entities, compiled, at);
  const found = titles.map((title) =>
    learning.matcher.match({ title }).map((match) => ({
      entityId: match.entityId,
      score: match.evidence.find((evidence) => evidence.topic)?.topic?.score,
    })),
  );
  const saved = save ? await learning.save(at) : undefined;
  return { found, saved };
}

const krebsProfile = async (store: Store) => (await store.loadTopics()).find((p) => p.entityId === 'krebs');

async function verdictTeachesOnce(open: () => Promise<Store>): Promise<void> {
  let store = await open();
  expect(await store.claimItem(record, NOW, 60_000)).toBe('claimed');
  await store.markSent(record, NOW, ALERT_ID);
  const titles = [WRONG.title, SIMILAR, OFFICIAL, OTHER_ENTITY];
  const before = await poll(store, NOW, titles);
  expect(before.found[0]).toEqual([{ entityId: 'krebs', score: expect.any(Number) }]); // the wrong alert, by profile
  expect(before.found[1]).toEqual([{ entityId: 'krebs', score: expect.any(Number) }]);

  expect(await store.recordVerdict({ entityId: 'krebs', alertId: ALERT_ID, recordedAt: NOW + 60_000 })).toBe(
    'recorded',
  );
  store = await open();
  const after = await poll(store, NOW + 120_000, titles);
  expect(after.saved?.verdicts).toBe(1);
  expect(after.found[0]).toEqual([]);
  expect(after.found[1]).toEqual([]); // the similar bare-surname item: refused by the profile
  expect(after.found[2]).toEqual([{ entityId: 'krebs', score: expect.any(Number) }]); // the official's own news
  // Another entity with the same words decides exactly as before: a verdict is never lent to other profiles.
  expect(after.found[3]).toEqual(before.found[3]);
  expect(after.found[3]).toEqual([{ entityId: 'masterson', score: expect.any(Number) }]);
  // Hard evidence stays hard: an alias, or a context phrase, names him whatever the words.
  const certain = await poll(store, NOW + 120_000, [ALIAS, CONTEXT], false);
  expect(certain.found).toEqual([[{ entityId: 'krebs', score: undefined }], [{ entityId: 'krebs', score: undefined }]]);

  store = await open();
  expect(await store.pendingVerdicts?.()).toEqual([]);
  const learned = await krebsProfile(store);
  expect(learned?.verdicts).toEqual([itemHash(ALERT_ID)]);
  expect(learned?.refused?.docs).toBe(1);
  expect(Object.keys(learned?.refused?.terms ?? {})).toEqual(expect.arrayContaining(['choc', 'beer', 'pittsburg']));

  // Pressed again (DynamoDB queues it again) and polled twice more: still counted once.
  expect(await store.recordVerdict({ entityId: 'krebs', alertId: ALERT_ID, recordedAt: NOW + 180_000 })).toBe(
    'already-recorded',
  );
  for (const at of [NOW + 240_000, NOW + 300_000]) {
    store = await open();
    expect((await poll(store, at, [SIMILAR])).found[0]).toEqual([]);
  }
  store = await open();
  expect((await krebsProfile(store))?.refused?.docs).toBe(1);
  expect(await store.pendingVerdicts?.()).toEqual([]);
}

describe('a verdict teaches the topic profile once', () => {
  it('in the memory store', async () => {
    const store = new MemoryStateStore();
    await verdictTeachesOnce(async () => store);
  });

  it('in the state file, across reloads between polls', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-verdict-learning-'));
    const file = path.join(dir, 'state.json');
    let last: FileStateStore | undefined;
    try {
      // Each poll is a new process reading the file the last one flushed.
      await verdictTeachesOnce(async () => {
        await last?.flush();
        last = new FileStateStore(file);
        return last;
      });
      await last?.flush();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('in DynamoDB (dynalite)', () => {
    let dynamo: LocalDynamo;
    beforeAll(async () => {
      dynamo = await startDynalite();
    });
    afterAll(() => dynamo.stop());

    it('the verdict function records and queues it; the poll counts it and empties the queue', async () => {
      const tableName = await dynamo.createStateTable();
      const state = new DynamoStateStore({ client: dynamo.client, tableName });
      // The verdict endpoint's own store, as the verdict function builds it.
      const verdicts = new DynamoVerdictStore(DynamoDBDocumentClient.from(dynamo.client), tableName);
      const store = Object.assign(Object.create(state) as DynamoStateStore, {
        recordVerdict: verdicts.recordVerdict.bind(verdicts),
        verdictsFor: verdicts.verdictsFor.bind(verdicts),
      });
      await verdictTeachesOnce(async () => store);
    });
  });
});

describe('counted once even when the poll stops between saving the profile and settling the verdict', () => {
  it('a verdict left pending after its profile was saved is settled by the next poll without counting again', async () => {
    const store = new MemoryStateStore();
    await store.claimItem(record, NOW, 60_000);
    await store.markSent(record, NOW, ALERT_ID);
    await store.recordVerdict({ entityId: 'krebs', alertId: ALERT_ID, recordedAt: NOW });
    const settle = store.settleVerdicts.bind(store);
    store.settleVerdicts = async () => {
      throw new Error('process died');
    };
    await expect(poll(store, NOW, [])).rejects.toThrow('process died');
    expect((await krebsProfile(store))?.refused?.docs).toBe(1);
    expect(await store.pendingVerdicts()).toHaveLength(1);
    store.settleVerdicts = settle;
    const next = await poll(store, NOW + 60_000, [SIMILAR]);
    expect(next.found[0]).toEqual([]);
    expect((await krebsProfile(store))?.refused?.docs).toBe(1);
    expect(await store.pendingVerdicts()).toEqual([]);
  });

  it('a verdict whose alert the state no longer holds teaches nothing and is settled', async () => {
    const store = new MemoryStateStore();
    await store.recordVerdict({ entityId: 'krebs', alertId: 'gone', recordedAt: NOW });
    const { saved } = await poll(store, NOW, []);
    expect(saved?.verdicts).toBe(0);
    expect(await krebsProfile(store)).toBeUndefined();
    expect(await store.pendingVerdicts()).toEqual([]);
    expect(await store.verdictsFor(['krebs'])).toHaveLength(1); // still listed by feedback
  });
});
