// A story whose first alert never went out (SNS refused it, or the poll was killed before publishing) is no story to
// join silently: a word-for-word copy of its headline (a wire story in another feed, the same article on Google News,
// the same item back under a new GUID) filed before the retry either waits for that alert or carries it.
import { sqsEvent, sqsRecord } from '../handlers/fixtures';
import { conditionalFeed } from '../support/feed-server';
import { buildRig, FaultySns, job, MINUTE, T0, useLocalServices } from './deployed-rig';
import { rssDocument } from './harness';
import { WIRE_SUMMARY, wireOutlets } from './wire-outlets';

const services = useLocalServices();
const { serveA, serveC } = wireOutlets(services);

test('a wire story whose first alert SNS refused once reaches the subscriber on the retry', async () => {
  const rig = await buildRig(services);
  // Outlet A and outlet C run the same AP headline word for word, under their own GUIDs and links.
  const a = serveA('/outlet-a.xml');
  // Answered well after outlet A, so A's report is filed first even on a loaded machine.
  const c = serveC('/outlet-c.xml', WIRE_SUMMARY, 1_500);

  // Cycle 1: one SQS batch with both feeds; SNS throttles the first PublishBatch past the SDK's retries.
  rig.sns.refuseNext = 1;
  const first = await rig.handler(sqsEvent([sqsRecord('m-a', job(a)), sqsRecord('m-c', job(c))]));
  expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-a' }]); // the refused alert's job is retried
  expect(await rig.received()).toEqual([]);

  // Cycle 2, SNS healthy: SQS redelivers job A after its visibility timeout (6 min); dispatch queues both feeds again.
  rig.clock.time = T0 + 6 * MINUTE;
  const second = await rig.handler(sqsEvent([sqsRecord('m-a', job(a), 2), sqsRecord('m-c2', job(c))]));
  expect(second.batchItemFailures).toEqual([]);
  // Cycle 3, for good measure.
  rig.clock.time = T0 + 11 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('m-a3', job(a)), sqsRecord('m-c3', job(c))]));

  // Outlet A's retry sent the story's one alert; outlet C's copy waited for it, then joined it.
  expect(rig.sns.publishBatches).toBe(2);
  const got = await rig.received(1_500);
  // The story's one alert, once SNS recovered.
  expect(got.map((alert) => alert.email.split('\n')[0])).toEqual([
    expect.stringContaining('Trump fires Christopher Krebs'),
  ]);
}, 60_000);

test('control: without the SNS refusal the same two feeds alert the story once', async () => {
  const rig = await buildRig(services);
  const a = { url: services.server.url('/outlet-a.xml'), name: 'Outlet A' };
  const c = { url: services.server.url('/outlet-c.xml'), name: 'Outlet C' };
  await rig.handler(sqsEvent([sqsRecord('m-a', job(a)), sqsRecord('m-c', job(c))]));
  const got = await rig.received(1_500);
  expect(got.map((alert) => alert.email.split('\n')[0])).toEqual([
    expect.stringContaining('Trump fires Christopher Krebs'),
  ]);
}, 60_000);

test('a poll killed between claim and publish (Lambda timeout): the story is alerted once its lease ends', async () => {
  const rig = await buildRig(services);
  const a = { url: services.server.url('/outlet-a.xml'), name: 'Outlet A' };
  const c = { url: services.server.url('/outlet-c.xml'), name: 'Outlet C' };
  // Container 1 polls outlet A; its PublishBatch never returns and Lambda kills it at 60 s (the promise is abandoned).
  const dying = new FaultySns(services.local.sns);
  dying.hang = true;
  void rig.container(dying)(sqsEvent([sqsRecord('m-a', job(a))]));
  // Until it has claimed, filed and is stuck in PublishBatch (however slow a loaded machine is to get there).
  for (let waited = 0; dying.publishBatches === 0 && waited < 30_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(dying.publishBatches).toBe(1);

  // Same schedule tick, another invocation (maxConcurrency 5): outlet C's copy is filed while A's claim is live.
  rig.clock.time = T0 + 20_000;
  await rig.handler(sqsEvent([sqsRecord('m-c', job(c))]));

  // Next ticks: A's state was never written, so dispatch queues it again; its lease (2 min) has run out.
  for (const minutes of [5, 10, 15]) {
    rig.clock.time = T0 + minutes * MINUTE;
    await rig.handler(sqsEvent([sqsRecord(`m-a-${minutes}`, job(a)), sqsRecord(`m-c-${minutes}`, job(c))]));
  }
  const got = await rig.received(1_500);
  // Every matched item is delivered: one alert for the story.
  expect(got.map((alert) => alert.email.split('\n')[0])).toEqual([
    expect.stringContaining('Trump fires Christopher Krebs'),
  ]);
}, 60_000);

test('one feed: the item SNS refused comes back under a new GUID (a CMS republish) and is still alerted', async () => {
  const rig = await buildRig(services);
  const item = (guid: string) => ({
    guid,
    title: 'Brad Raffensperger orders full hand recount of Georgia ballots',
    link: 'https://outlet-g.example/2024/11/05/recount',
    description: 'The secretary of state ordered every paper ballot counted by hand.',
    publishedAt: T0 - 15 * MINUTE,
  });
  services.server.route('/outlet-g.xml', conditionalFeed(rssDocument([item('cms-1001')]), { etag: '"g1"' }));
  const g = { url: services.server.url('/outlet-g.xml'), name: 'Outlet G' };
  rig.sns.refuseNext = 1;
  expect((await rig.handler(sqsEvent([sqsRecord('g-1', job(g))]))).batchItemFailures).toHaveLength(1);
  services.server.route('/outlet-g.xml', conditionalFeed(rssDocument([item('cms-1002')]), { etag: '"g2"' }));
  rig.clock.time = T0 + 6 * MINUTE;
  await rig.handler(sqsEvent([sqsRecord('g-1', job(g), 2)]));
  // The republished item carries the alert its refused self never sent.
  expect((await rig.received(1_500)).map((a) => a.email.split('\n')[0])).toEqual([
    expect.stringContaining('Raffensperger'),
  ]);
}, 60_000);
