// Reports of a story whose first alert SNS refused, on the deployed path (the poll handler, DynamoDB on dynalite, SNS
// on fauxqs): the entities a copy names besides, the refused item's own retry, and a story whose mark was refused.
import { sqsEvent, sqsRecord } from '../handlers/fixtures';
import { conditionalFeed } from '../support/feed-server';
import { buildRig, job, MINUTE, T0, useLocalServices } from './deployed-rig';
import { rssDocument } from './harness';
import { WIRE_SUMMARY, wireOutlets } from './wire-outlets';

const services = useLocalServices();

const { serveA, serveC } = wireOutlets(services);
/** Outlet C's copy reworded, naming the agency, answered at once. */
const serveReworded = (path: string) =>
  serveC(path, WIRE_SUMMARY, 0, 'Trump fires CISA director Christopher Krebs in a tweet');

test('a copy naming an entity the story’s first alert does not, filed as that alert is retried, alerts that entity', async () => {
  const rig = await buildRig(services);
  const original = {
    guid: 'krebs-fired-1',
    title: 'Trump fires Christopher Krebs by tweet',
    link: 'https://outlet-a.example/krebs-fired',
    description: 'The president fired Christopher Krebs.',
    publishedAt: T0 - 20 * MINUTE,
  };
  // The same report in the same feed a little later, naming the agency too.
  const copy = {
    guid: 'krebs-fired-2',
    title: 'Trump fires CISA director Christopher Krebs by tweet',
    link: 'https://outlet-a.example/krebs-fired-cisa',
    description: 'The president fired Christopher Krebs.',
    publishedAt: T0 - 10 * MINUTE,
  };
  services.server.route('/one-feed.xml', conditionalFeed(rssDocument([original]), { etag: '"o1"' }));
  const feed = { url: services.server.url('/one-feed.xml'), name: 'Outlet A' };

  // Cycle 1: SNS refuses the original's alert; its story (Krebs) stays unsent.
  rig.sns.refuseNext = 1;
  expect((await rig.handler(sqsEvent([sqsRecord('m-1', job(feed))]))).batchItemFailures).toHaveLength(1);

  // Cycle 2, past the lease: the original's retry carries the story's first alert (Krebs); the copy joins the story and
  // rides along in it for Krebs, but alerts CISA's followers, whom that alert does not reach.
  services.server.route('/one-feed.xml', conditionalFeed(rssDocument([copy, original]), { etag: '"o2"' }));
  rig.clock.time = T0 + 6 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-1', job(feed), 2)]));
  rig.clock.time = T0 + 11 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-2', job(feed))]));
  const got = await rig.received(1_500);
  expect(got.map((alert) => alert.subject)).toEqual([
    expect.stringMatching(/Krebs: Trump fires Christopher Krebs by tweet/),
    expect.stringMatching(/Cybersecurity and Infrastructure.*: Trump fires CISA director Christopher Krebs/),
  ]);
}, 60_000);

test('the copy in a batch of its own, once the story is abandoned, carries its alert', async () => {
  const rig = await buildRig(services);
  const a = serveA('/ctl-a.xml');
  const c = serveC(
    '/ctl-c.xml',
    'Matt Masterson, the senior election security adviser at CISA, was also pushed out of the cybersecurity agency.',
  );
  rig.sns.refuseNext = 1;
  await rig.handler(sqsEvent([sqsRecord('m-a', job(a))]));
  rig.clock.time = T0 + 6 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-c', job(c))]));
  const got = await rig.received(1_500);
  expect(got.some((alert) => /Masterson/.test(alert.email))).toBe(true);
}, 60_000);

test('a copy carries the story whose alert SNS refused; the refused item, retried after, joins it silently', async () => {
  const rig = await buildRig(services);
  const a = serveA('/dup-a.xml');
  const c = serveReworded('/dup-c.xml');
  // Cycle 1: outlet A; SNS refuses its alert; SQS will redeliver m-a after its visibility timeout (6 min).
  rig.sns.refuseNext = 1;
  expect((await rig.handler(sqsEvent([sqsRecord('m-a', job(a))]))).batchItemFailures).toHaveLength(1);

  // Next schedule tick (5 min): outlet C's job lands in an invocation without A. Its copy joins the story, 5 min old
  // (past the lease), so it carries the story's first alert, which SNS delivers; the story is marked alerted.
  rig.clock.time = T0 + 5 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-c', job(c))]));

  // 6 min: SQS redelivers m-a. A's item finds its own story, alerted since by C's copy: it joins it silently.
  rig.clock.time = T0 + 6 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-a', job(a), 2)]));

  const got = await rig.received(1_500);
  // One event, one alert.
  expect(got).toHaveLength(1);
}, 60_000);

test('without the refusal the reworded copy joins the story silently: one alert', async () => {
  const rig = await buildRig(services);
  const a = serveA('/dupctl-a.xml');
  const c = serveReworded('/dupctl-c.xml');
  await rig.handler(sqsEvent([sqsRecord('m-a', job(a))]));
  rig.clock.time = T0 + 5 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-c', job(c))]));
  const got = await rig.received(1_500);
  expect(got).toHaveLength(1);
  expect(rig.telemetry.logs.filter((l) => l.message === 'item joined a story, not alerted')).toHaveLength(1);
}, 60_000);

test('a story whose alerted mark DynamoDB refused after its alert went out: the run succeeds, a copy costs one more alert at most', async () => {
  const rig = await buildRig(services);
  const a = serveA('/mark-a.xml');
  const c = serveReworded('/mark-c.xml');
  // DynamoDB throttles the one conditional UpdateItem past the SDK's retries (the alert is out, markSent written).
  const real = rig.state.markStoryAlerted.bind(rig.state);
  let failures = 1;
  rig.state.markStoryAlerted = async (id: string) => {
    if (failures-- > 0) throw new Error('ProvisionedThroughputExceededException (injected)');
    return real(id);
  };
  expect((await rig.handler(sqsEvent([sqsRecord('m-a', job(a))]))).batchItemFailures).toEqual([]);
  rig.clock.time = T0 + 5 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-c', job(c))]));
  rig.clock.time = T0 + 6 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-a2', job(a))]));
  const subjects = (await rig.received(1_500)).map((alert) => alert.subject);
  expect(subjects[0]).toMatch(/Trump fires Christopher Krebs, director of CISA, by tweet/);
  expect(subjects.length).toBeLessThanOrEqual(2);
}, 60_000);
