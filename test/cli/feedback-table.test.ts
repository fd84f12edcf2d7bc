// `news-alerts feedback --table` reads the deployed state table through the real AWS SDK (dynalite on 127.0.0.1, found
// through AWS_ENDPOINT_URL_DYNAMODB as a user's emulator would be): alerts as the poll function keeps them, verdicts as
// the verdict function records them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStateStore } from '../../lambda/adapters/dynamo-state-store';
import { DynamoVerdictStore } from '../../lambda/adapters/dynamo-verdicts';
import { itemTopicText } from '../../lambda/core/topic-terms';
import { alertIdFor } from '../../lambda/pipeline';
import type { ItemRecord } from '../../lambda/ports';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { localCliEnv } from '../support/fake-aws';
import { runCli, watchlistYaml } from './run-cli';

const NOW = Date.parse('2026-11-18T12:00:00Z');
const ALERTS = [
  { id: 'hall-debate', title: 'Krebs Hall hosts county election debate for school board seats', wrong: true },
  { id: 'hall-flood', title: 'Flooding closes Krebs Hall polling place days before the election', wrong: true },
  { id: 'testifies', title: 'Chris Krebs testifies to Senate panel on election security', wrong: false },
  { id: 'sues', title: 'Former CISA director Chris Krebs sues campaign lawyer', wrong: false },
];

let dynamo: LocalDynamo;
let tableName: string;
let dir: string;

/** The environment a user's shell would have: region and keys set, the SDK pointed at the local table. */
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  localCliEnv(dir, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...extra });

beforeAll(async () => {
  dynamo = await startDynalite();
  tableName = await dynamo.createStateTable();
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-feedback-table-'));
  writeFileSync(
    path.join(dir, 'watchlist.yaml'),
    watchlistYaml([{ url: 'https://news.example.test/feed', name: 'N' }]),
  );
  const state = new DynamoStateStore({ client: dynamo.client, tableName });
  const verdicts = new DynamoVerdictStore(DynamoDBDocumentClient.from(dynamo.client), tableName);
  for (const [index, alert] of ALERTS.entries()) {
    const record: ItemRecord = {
      identity: { key: `guid:${alert.id}`, aliasKeys: [] },
      feedUrl: 'https://news.example.test/feed',
      title: alert.title,
      alerted: { entities: ['krebs'], text: itemTopicText({ title: alert.title }) },
    };
    // As the poll function records an alert, and the verdict function a reader's press.
    await state.claimItem(record, NOW, 60_000);
    await state.markSent(record, NOW, alertIdFor(record.identity.key));
    if (alert.wrong) {
      await verdicts.recordVerdict({
        entityId: 'krebs',
        alertId: alertIdFor(record.identity.key),
        recordedAt: NOW + index,
      });
    }
  }
});

afterAll(async () => {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('lists the verdicts from the table with the share of alerts marked wrong and the suggested exclude as a diff', async () => {
  const result = await runCli(['feedback', '--watchlist', 'watchlist.yaml', '--table', tableName, '--json'], {
    cwd: dir,
    env: env(),
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout);
  expect(report.entities).toEqual([
    {
      entityId: 'krebs',
      entityName: 'Christopher Krebs',
      alerts: 4,
      wrongShare: 0.5,
      verdicts: [
        { alertId: alertIdFor('guid:hall-flood'), recordedAt: '2026-11-18T12:00:00.001Z', title: ALERTS[1]!.title },
        { alertId: alertIdFor('guid:hall-debate'), recordedAt: '2026-11-18T12:00:00.000Z', title: ALERTS[0]!.title },
      ],
      suggestedExclude: { phrase: 'krebs hall', wrongAlerts: 2 },
      suggestedContextDrop: null,
    },
  ]);
  expect(report.patch).toContain('+    excludes: [Brian Krebs, KrebsOnSecurity, Krebs cycle, krebs hall]');
});

it('names what is missing when no region is set, and refuses --state with --table', async () => {
  const noRegion = await runCli(['feedback', '--watchlist', 'watchlist.yaml', '--table', tableName], {
    cwd: dir,
    env: env({ AWS_REGION: undefined }),
  });
  expect(noRegion.code).toBe(1);
  expect(noRegion.stderr).toContain('set AWS_REGION');
  const both = await runCli(['feedback', '--state', 's.json', '--table', tableName], { cwd: dir, env: env() });
  expect(both.code).toBe(2);
  expect(both.stderr).toContain('--state and --table');
});
