// Verdict links in alert emails: the SNS sink (on fauxqs) signs one "Not about <entity>?" line per entity under the
// evidence with the key read from Secrets Manager (a local stand-in over HTTP) once per container; none without an
// endpoint, and an alert still goes out when the key cannot be read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { secretSigningKey } from '../../lambda/adapters/signing-key';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import { signedVerdictLinker } from '../../lambda/adapters/verdict-linker';
import { VERDICT_LINK_TTL_MS, verifyVerdictToken } from '../../lambda/core/verdict-token';
import { makeAlert } from '../support/alert-fixture';
import { FAKE_AWS } from '../support/fake-aws';
import { type LocalSns, startFauxqs } from '../support/fauxqs';

const KEY = 'S'.repeat(64);
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:news-alerts-verdict-key-AbCdEf';
const ENDPOINT = 'https://abc123.lambda-url.us-east-1.on.aws/';
const NOW = Date.parse('2026-11-18T12:00:00Z');

/** Answers Secrets Manager's GetSecretValue (JSON 1.1 protocol) for one secret, counting the requests. */
async function startSecretsServer(): Promise<{ endpoint: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests += 1;
      const target = String(request.headers['x-amz-target']);
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || SecretId !== SECRET_ARN) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such secret' }));
        return;
      }
      response.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'verdict-key', SecretString: KEY, VersionId: 'v1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    server,
  };
}

let sns: LocalSns;
let secrets: Awaited<ReturnType<typeof startSecretsServer>>;
let snsClient: SNSClient;
let secretsClient: SecretsManagerClient;

beforeAll(async () => {
  [sns, secrets] = await Promise.all([startFauxqs(), startSecretsServer()]);
  snsClient = new SNSClient({ ...FAKE_AWS, endpoint: sns.endpoint });
  secretsClient = new SecretsManagerClient({ ...FAKE_AWS, endpoint: secrets.endpoint, maxAttempts: 1 });
}, 60_000);

afterAll(async () => {
  snsClient.destroy();
  secretsClient.destroy();
  await new Promise((resolve) => secrets.server.close(resolve));
  await sns.stop();
});

async function emailsSent(sink: (topicArn: string) => SnsAlertSink, count: number): Promise<string[]> {
  const topicArn = await sns.createTopic();
  const { queueUrl } = await sns.subscribeQueue(topicArn);
  const alerts = Array.from({ length: count }, (_, i) => makeAlert({ id: `alert${i}`, itemKey: `guid:${i}` }));
  const results = await sink(topicArn).publish(alerts);
  expect(results.every((result) => result.ok)).toBe(true);
  const received = await sns.receive(queueUrl, count);
  return received.map((notification) => JSON.parse(notification.Message).email as string);
}

describe('an alert email', () => {
  it('with a verdict endpoint: one signed "Not about <entity>?" line per entity under the evidence', async () => {
    const key = secretSigningKey(SECRET_ARN, secretsClient);
    const linker = signedVerdictLinker({ baseUrl: ENDPOINT, key, clock: { now: () => NOW } });
    const before = secrets.requests();
    const emails = await emailsSent(
      (topicArn) => new SnsAlertSink({ client: snsClient, topicArn, verdictLinks: linker }),
      3,
    );
    // The key is read once for the container, not per alert.
    expect(secrets.requests() - before).toBe(1);
    for (const email of emails) {
      const lines = email.split('\n');
      const verdictLines = lines.filter((line) => line.startsWith('Not about '));
      expect(verdictLines.map((line) => line.replace(/\? .*/, '?'))).toEqual([
        'Not about Christopher Krebs?',
        'Not about CISA?',
      ]);
      expect(lines.indexOf(verdictLines[0]!)).toBeGreaterThan(lines.indexOf('Why this matched:'));
      expect(lines.indexOf(verdictLines[0]!)).toBeLessThan(lines.indexOf('--'));
      for (const [line, entityId] of [
        [verdictLines[0]!, 'krebs'],
        [verdictLines[1]!, 'cisa'],
      ] as const) {
        const url = new URL(line.slice(line.indexOf('? ') + 2));
        expect(url.origin + url.pathname).toBe(ENDPOINT);
        const check = verifyVerdictToken(url.searchParams.get('t') ?? '', KEY, NOW);
        expect(check).toEqual({
          ok: true,
          claim: { alertId: expect.stringMatching(/^alert\d$/), entityId, expiresAt: NOW + VERDICT_LINK_TTL_MS },
        });
      }
    }
  });

  it('without a verdict endpoint (locally): no verdict line', async () => {
    const [email] = await emailsSent((topicArn) => new SnsAlertSink({ client: snsClient, topicArn }), 1);
    expect(email).toContain('Why this matched:');
    expect(email).not.toContain('Not about');
  });

  it('when the key cannot be read: still delivered, without verdict lines, and the next alert tries the key again', async () => {
    const key = secretSigningKey(`${SECRET_ARN}-gone`, secretsClient);
    const linker = signedVerdictLinker({ baseUrl: ENDPOINT, key, clock: { now: () => NOW } });
    const before = secrets.requests();
    const sink = (topicArn: string) => new SnsAlertSink({ client: snsClient, topicArn, verdictLinks: linker });
    const [first] = await emailsSent(sink, 1);
    const [second] = await emailsSent(sink, 1);
    expect(first).toContain('Link: https://news.example.test/2020/11/18/krebs-fired');
    expect(first).not.toContain('Not about');
    expect(second).not.toContain('Not about');
    expect(secrets.requests() - before).toBe(2);
  });
});
