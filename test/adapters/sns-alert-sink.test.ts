import {
  InternalErrorException,
  PublishBatchCommand,
  type PublishBatchCommandInput,
  type PublishBatchRequestEntry,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { batchProblems, entryProblems, SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import { ALERT_KIND, CHANNEL, CHANNEL_ATTRIBUTE, KIND_ATTRIBUTE } from '../../lambda/contract/sns-attributes';
import { gsm7Length } from '../../lambda/core/channel-text';
import { formatEmail, formatSubject } from '../../lambda/core/format';
import type { Alert } from '../../lambda/core/types';
import { makeAlert } from '../support/alert-fixture';
import { FAKE_AWS } from '../support/fake-aws';
import { type LocalSns, type SnsNotification, startFauxqs } from '../support/fauxqs';

function alerts(count: number, overrides: (i: number) => Partial<Alert> = () => ({})): Alert[] {
  return Array.from({ length: count }, (_, i) =>
    makeAlert({ id: `alert-${i}`, itemKey: `guid:item-${i}`, title: `Krebs story number ${i}`, ...overrides(i) }),
  );
}

/** The PublishBatch inputs a client sends, recorded by a middleware so the real request still goes out. */
function recordBatches(client: SNSClient): PublishBatchCommandInput[] {
  const sent: PublishBatchCommandInput[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PublishBatchCommand') sent.push(args.input as PublishBatchCommandInput);
      return next(args);
    },
    { step: 'initialize', name: 'recordPublishBatch' },
  );
  return sent;
}

/**
 * Amazon SNS filter policy semantics for exact-string conditions, which fauxqs lacks for String.Array: a String.Array
 * attribute matches when any of its elements equals any value the policy lists for that attribute.
 */
function snsPolicyMatches(policy: Record<string, string[]>, notification: SnsNotification): boolean {
  return Object.entries(policy).every(([name, allowed]) => {
    const attribute = notification.MessageAttributes?.[name];
    if (!attribute) return false;
    const values: unknown[] = attribute.Type === 'String.Array' ? JSON.parse(attribute.Value) : [attribute.Value];
    return values.some((value) => typeof value === 'string' && allowed.includes(value));
  });
}

describe('SnsAlertSink against fauxqs', () => {
  let local: LocalSns;

  beforeAll(async () => {
    local = await startFauxqs();
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
  });

  // A client per test whose PublishBatch inputs are recorded, so every request that went out can be checked.
  let client: SNSClient;
  let batches: PublishBatchCommandInput[];
  beforeEach(() => {
    client = new SNSClient({ ...FAKE_AWS, endpoint: local.endpoint });
    batches = recordBatches(client);
  });
  afterEach(() => client.destroy());

  it('delivers email and SMS bodies, the subject and the entity attribute to a subscriber', async () => {
    const topicArn = await local.createTopic();
    const { queueUrl } = await local.subscribeQueue(topicArn);
    const alert = makeAlert();
    const [result] = await new SnsAlertSink({ client, topicArn }).publish([alert]);
    const [notification, ...extra] = await local.receive(queueUrl, 1);

    expect(batches).toHaveLength(1);
    expect(batchProblems(batches[0]?.PublishBatchRequestEntries ?? [])).toEqual([]);
    expect(extra).toEqual([]);
    expect(result).toEqual({ alertId: alert.id, ok: true, messageId: notification?.MessageId });
    expect(notification?.Subject).toBe(
      '[news-alerts] Christopher Krebs, CISA: Trump fires Christopher Krebs, head of election security...',
    );
    // fauxqs hands over the whole MessageStructure document; SNS would deliver the "email" or "sms" value alone.
    const bodies = JSON.parse(notification?.Message ?? '{}');
    expect(Object.keys(bodies).sort()).toEqual(['default', 'email', 'sms']);
    expect(bodies.email).toBe(formatEmail(alert));
    expect(bodies.email).toContain('Link: https://news.example.test/2020/11/18/krebs-fired');
    expect(bodies.sms).toBe(
      'Christopher Krebs, CISA: Trump fires Christopher Krebs, head of election security agency CISA https://news.example.test/2020/11/18/krebs-fired',
    );
    expect(gsm7Length(bodies.sms)).toBeLessThanOrEqual(160);
    expect(bodies.default).toBe(bodies.email);
    expect(notification?.MessageAttributes).toEqual({
      entity: { Type: 'String.Array', Value: '["krebs","cisa"]' },
      channel: { Type: 'String', Value: 'all' },
      kind: { Type: 'String', Value: 'story' },
    });
  });

  it('keeps an alert the SMS storm guard held back from SMS subscriptions, not from email ones', async () => {
    const topicArn = await local.createTopic();
    const email = await local.subscribeQueue(topicArn);
    // What the stack gives SMS subscriptions: only messages whose channel is "all".
    const sms = await local.subscribeQueue(topicArn, { [CHANNEL_ATTRIBUTE]: [CHANNEL.all] });
    const held = makeAlert({ id: 'held', title: 'Krebs story held back', smsHeld: true });
    const told = makeAlert({ id: 'told', title: 'Krebs story told', smsHeldBefore: { count: 1, since: 0 } });
    await new SnsAlertSink({ client, topicArn }).publish([held, told]);
    const toEmail = await local.receive(email.queueUrl, 2);
    const toSms = await local.receive(sms.queueUrl, 1, { settleMs: 500 });
    expect(toEmail.map((n) => n.MessageAttributes?.channel?.Value).sort()).toEqual(['all', 'sms-held']);
    expect(toSms.map((n) => JSON.parse(n.Message).sms)).toEqual([
      '[+1 more alert held since 00:00 UTC] Christopher Krebs, CISA: Krebs story told https://news.example.test/2020/11/18/krebs-fired',
    ]);
  });

  it('keeps a same-story alert from subscribers of every entity, who had the story already', async () => {
    const topicArn = await local.createTopic();
    // What the stack gives a subscriber of every entity: story alerts only.
    const everyEntity = await local.subscribeQueue(topicArn, { [KIND_ATTRIBUTE]: [ALERT_KIND.story] });
    const cisaFollower = await local.subscribeQueue(topicArn);
    const story = makeAlert({ id: 'story', entities: ['krebs'], entityNames: ['Christopher Krebs'] });
    const sameStory = makeAlert({
      id: 'same-story',
      entities: ['cisa'],
      entityNames: ['CISA'],
      title: 'Trump fires CISA director Chris Krebs',
      partOf: { title: story.title, firstSeenAt: Date.parse('2020-11-18T00:00:00Z') },
    });
    await new SnsAlertSink({ client, topicArn }).publish([story, sameStory]);
    const toEveryEntity = await local.receive(everyEntity.queueUrl, 1, { settleMs: 500 });
    const toFollower = await local.receive(cisaFollower.queueUrl, 2);
    expect(toEveryEntity.map((n) => n.MessageAttributes?.kind?.Value)).toEqual(['story']);
    const sameStoryEmail = toFollower.find((n) => n.MessageAttributes?.kind?.Value === 'same-story');
    expect(JSON.parse(sameStoryEmail?.Message ?? '{}').email).toContain(`Same story as: ${story.title}, 18 Nov`);
  });

  it('sends 23 alerts as PublishBatch calls of 10, 10 and 3 that all meet SNS limits, and each arrives once', async () => {
    const topicArn = await local.createTopic();
    const { queueUrl } = await local.subscribeQueue(topicArn);
    const batch = alerts(23);
    const results = await new SnsAlertSink({ client, topicArn }).publish(batch);
    expect(results.map((r) => [r.alertId, r.ok])).toEqual(batch.map((a) => [a.id, true]));
    expect(batches.map((b) => b.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    for (const input of batches) expect(batchProblems(input.PublishBatchRequestEntries ?? [])).toEqual([]);
    const received = await local.receive(queueUrl, 23);
    expect(received.map((n) => n.Subject).sort()).toEqual(batch.map((a) => formatSubject(a)).sort());
  });

  it('keeps hostile titles within SNS rules on the wire: one-line ASCII subject, one-line SMS, inert email', async () => {
    const topicArn = await local.createTopic();
    const { queueUrl } = await local.subscribeQueue(topicArn);
    const hostile = [
      'Krebs fired\r\nBcc: victim@example.com',
      '<script>alert(1)</script> Krebs \u202edetirw\u202c',
      `Krebs ${'x'.repeat(10_240)}`,
      '\u0000\u0007\u001b[2J Raffensperger’s “résumé” — 选举',
    ];
    const results = await new SnsAlertSink({ client, topicArn }).publish(alerts(4, (i) => ({ title: hostile[i] })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batchProblems(batches[0]?.PublishBatchRequestEntries ?? [])).toEqual([]);
    const received = await local.receive(queueUrl, 4);
    expect(received).toHaveLength(4);
    for (const notification of received) {
      expect(notification.Subject).toMatch(/^\[news-alerts\] [\x20-\x7e]{1,85}$/);
      const { sms, email } = JSON.parse(notification.Message);
      expect(sms).not.toMatch(/[\r\n\u202e]/);
      expect(gsm7Length(sms)).toBeLessThanOrEqual(160);
      expect(email.split('\n')[0]).not.toMatch(/[\u0000-\u001f\u202e]/);
    }
    const scriptEmail = received.map((n) => JSON.parse(n.Message).email).find((e: string) => e.includes('<script>'));
    expect(scriptEmail?.split('\n')[0]).toBe('<script>alert(1)</script> Krebs detirw');
  });

  it('tags each message so a per-entity filter policy (as SNS evaluates String.Array) picks the right alerts', async () => {
    const topicArn = await local.createTopic();
    const { queueUrl } = await local.subscribeQueue(topicArn);
    const byEntity = [
      makeAlert({ id: 'only-krebs', entities: ['krebs'], entityNames: ['Christopher Krebs'], title: 'Krebs alone' }),
      makeAlert({ id: 'only-cisa', entities: ['cisa'], entityNames: ['CISA'], title: 'CISA alone' }),
      makeAlert({ id: 'both', title: 'Krebs and CISA' }),
    ];
    await new SnsAlertSink({ client, topicArn }).publish(byEntity);
    const received = await local.receive(queueUrl, 3);
    const subjectsFor = (policy: Record<string, string[]>) =>
      received
        .filter((n) => snsPolicyMatches(policy, n))
        .map((n) => n.Subject?.replace(/^.*: /, ''))
        .sort();
    expect(subjectsFor({ entity: ['krebs'] })).toEqual(['Krebs alone', 'Krebs and CISA']);
    expect(subjectsFor({ entity: ['cisa'] })).toEqual(['CISA alone', 'Krebs and CISA']);
    expect(subjectsFor({ entity: ['masterson'] })).toEqual([]);
  });
});

describe('SnsAlertSink faults SNS reports', () => {
  let sns: AwsClientStub<SNSClient>;
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:alerts';

  beforeAll(() => {
    sns = mockClient(SNSClient);
  });
  beforeEach(() => sns.reset());
  afterAll(() => sns.restore());

  const sink = () => new SnsAlertSink({ client: new SNSClient(FAKE_AWS), topicArn });
  /** SNS accepting every entry of the batch except those whose Id is listed. */
  const acceptAllBut =
    (failedIds: string[] = []) =>
    async (input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries ?? [];
      return {
        Successful: entries
          .filter((e) => !failedIds.includes(e.Id!))
          .map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
        Failed: entries
          .filter((e) => failedIds.includes(e.Id!))
          .map((e) => ({ Id: e.Id, Code: 'InternalError', Message: 'try again', SenderFault: false })),
      };
    };

  it('marks every alert of a throttled batch failed, without throwing, and still sends the next batch', async () => {
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: {} }))
      .callsFake(acceptAllBut());
    const results = await sink().publish(alerts(12));
    expect(results.slice(0, 10).map((r) => r.ok)).toEqual(Array(10).fill(false));
    expect(results[0]).toEqual({ alertId: 'alert-0', ok: false, error: 'ThrottledException: Rate exceeded' });
    expect(results.slice(10)).toEqual([
      { alertId: 'alert-10', ok: true, messageId: 'm-alert-10' },
      { alertId: 'alert-11', ok: true, messageId: 'm-alert-11' },
    ]);
  });

  it('reports exactly the one failed entry of a batch as failed', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAllBut(['alert-2']));
    const results = await sink().publish(alerts(4));
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2]).toEqual({ alertId: 'alert-2', ok: false, error: 'InternalError: try again' });
  });

  it('turns a server error on the whole batch into failed results', async () => {
    sns.on(PublishBatchCommand).rejects(new InternalErrorException({ message: 'boom', $metadata: {} }));
    const results = await sink().publish(alerts(3));
    expect(results).toEqual(
      ['alert-0', 'alert-1', 'alert-2'].map((alertId) => ({
        alertId,
        ok: false,
        error: 'InternalErrorException: boom',
      })),
    );
  });

  it('makes no call for no alerts (SNS rejects an empty batch)', async () => {
    expect(await sink().publish([])).toEqual([]);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
  });

  it('treats an entry SNS answered neither way as failed', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'alert-0', MessageId: 'm0' }], Failed: [] });
    const results = await sink().publish(alerts(2));
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });

  it('refuses, without sending, an alert whose message would break SNS limits, and sends the rest', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAllBut());
    const tooMany = Array.from({ length: 30_000 }, (_, i) => `entity-number-${i}`);
    const results = await sink().publish([
      makeAlert({ id: 'huge', entities: tooMany, entityNames: tooMany }),
      makeAlert({ id: 'fine' }),
    ]);
    expect(results[0]).toMatchObject({ alertId: 'huge', ok: false });
    expect(results[0]?.ok === false && results[0].error).toMatch(/over 262144/);
    expect(results[1]).toMatchObject({ alertId: 'fine', ok: true });
    const sent = sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
    expect(sent.map((e) => e.Id)).toEqual(['alert-1']);
  });

  it('splits batches by size as well as count, so no call exceeds 256 KiB in total', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAllBut());
    const names = Array.from({ length: 2_000 }, (_, i) => `entity-${i}`);
    // Each message carries ~60 KB of entity attribute and names: four fit one batch, not ten.
    const results = await sink().publish(alerts(10, () => ({ entities: names, entityNames: names })));
    expect(results.every((r) => r.ok)).toBe(true);
    const calls = sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
    expect(calls.length).toBeGreaterThan(1);
    for (const entries of calls) expect(batchProblems(entries)).toEqual([]);
    expect(calls.flat().map((e) => e.Id)).toEqual(alerts(10).map((_, i) => `alert-${i}`));
  });
});

describe('SNS limit checker', () => {
  const valid = (): PublishBatchRequestEntry => ({
    Id: 'alert-0',
    Subject: '[news-alerts] CISA: ok',
    MessageStructure: 'json',
    Message: JSON.stringify({ default: 'd', email: 'e', sms: 's' }),
    MessageAttributes: { entity: { DataType: 'String.Array', StringValue: '["cisa"]' } },
  });

  it('accepts what the sink builds', () => {
    expect(entryProblems(valid())).toEqual([]);
  });

  it.each<[string, Partial<PublishBatchRequestEntry>, RegExp]>([
    ['a subject with a newline', { Subject: 'a\nb' }, /line break/],
    ['a subject of 100 characters', { Subject: 'a'.repeat(100) }, /not under 100/],
    ['a non-ASCII subject', { Subject: 'Café' }, /non-ASCII/],
    ['a subject starting with a space', { Subject: ' hello' }, /does not start/],
    ['an empty subject', { Subject: '' }, /empty/],
    ['an Id with a dot', { Id: 'alert.1' }, /Id/],
    ['an 81-character Id', { Id: 'a'.repeat(81) }, /Id/],
    ['JSON structure without default', { Message: '{"email":"x"}' }, /default/],
    ['JSON structure that is not JSON', { Message: 'plain' }, /not JSON/],
    ['a non-string body', { Message: '{"default":"x","sms":5}' }, /"sms" is not a string/],
    ['a message over 256 KiB', { Message: JSON.stringify({ default: 'x'.repeat(262_144) }) }, /over 262144/],
    [
      'eleven attributes',
      {
        MessageAttributes: Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
        ),
      },
      /11 message attributes/,
    ],
    ['a reserved attribute name', { MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'v' } } }, /name/],
    ['a name with ..', { MessageAttributes: { 'a..b': { DataType: 'String', StringValue: 'v' } } }, /name/],
    ['an unknown type', { MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } } }, /unsupported type/],
    [
      'a String.Array that is not an array',
      { MessageAttributes: { a: { DataType: 'String.Array', StringValue: '"x"' } } },
      /JSON array/,
    ],
    ['an empty value', { MessageAttributes: { a: { DataType: 'String', StringValue: '' } } }, /empty value/],
    [
      'a Number that is not one',
      { MessageAttributes: { a: { DataType: 'Number', StringValue: 'ten' } } },
      /not a number/,
    ],
  ])('rejects %s', (_, change, problem) => {
    const problems = entryProblems({ ...valid(), ...change });
    expect(problems.join('\n')).toMatch(problem);
  });

  it('rejects batches of more than ten, repeated Ids, or over 256 KiB in total', () => {
    expect(batchProblems(Array.from({ length: 11 }, (_, i) => ({ ...valid(), Id: `a${i}` })))).toContain(
      'batch has 11 entries, not 1 to 10',
    );
    expect(batchProblems([valid(), valid()])).toContain('batch entry Ids repeat');
    const big = (id: string) => ({ ...valid(), Id: id, Message: JSON.stringify({ default: 'x'.repeat(100_000) }) });
    expect(batchProblems([big('a'), big('b'), big('c')]).join('\n')).toMatch(/batch is \d+ bytes, over 262144/);
  });
});
