// The verdict endpoint over real HTTP on 127.0.0.1 (the handler behind a function-URL shaped server), recording into
// DynamoDB (dynalite): a link's GET records nothing, its button's POST records once, bad links record nothing.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoVerdictStore } from '../../lambda/adapters/dynamo-verdicts';
import { signVerdictToken, VERDICT_LINK_TTL_MS, verdictLinks } from '../../lambda/core/verdict-token';
import { createVerdictHandler } from '../../lambda/handlers/verdict';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { type FunctionUrlServer, serveFunctionUrl } from '../support/function-url-server';
import { recordedTelemetry } from './fixtures';

const KEY = 'k'.repeat(64);
const NOW = Date.parse('2026-11-18T12:00:00Z');
const ALERT = {
  id: 'a1b2c3d4e5f6a1b2c3d4e5f6',
  entities: ['krebs', 'cisa'],
  entityNames: ['Christopher Krebs', 'CISA'],
};

let dynamo: LocalDynamo;
let verdicts: DynamoVerdictStore;
let server: FunctionUrlServer;
let now = NOW;

beforeAll(async () => {
  dynamo = await startDynalite();
  verdicts = new DynamoVerdictStore(DynamoDBDocumentClient.from(dynamo.client), await dynamo.createStateTable());
  server = await serveFunctionUrl(
    createVerdictHandler({
      verdicts,
      key: async () => KEY,
      clock: { now: () => now },
      entityNames: new Map([
        ['krebs', 'Christopher Krebs'],
        ['cisa', 'CISA'],
      ]),
      telemetry: recordedTelemetry(),
    }),
  );
});

afterAll(async () => {
  await server.stop();
  await dynamo.stop();
});

beforeEach(() => {
  now = NOW;
});

/** The links the alert email carries, pointing at the local endpoint. */
const links = () => verdictLinks(ALERT, { baseUrl: server.url, key: KEY, now: NOW });
const tokenOf = (url: string) => new URL(url).searchParams.get('t') ?? '';
const post = (url: string, token: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: token }).toString(),
  });
const recorded = async (entityId: string) => (await verdicts.verdictsFor([entityId])).map((v) => v.alertId);

describe('opening a verdict link (GET)', () => {
  it('shows a page naming the entity and the alert with one button, and records nothing however often it is opened', async () => {
    const [krebs] = links();
    for (let opened = 0; opened < 3; opened++) {
      const response = await fetch(krebs!.url);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Not about Christopher Krebs?');
      expect(page).toContain(ALERT.id);
      expect(page.match(/<form method="post">/g)).toHaveLength(1);
      expect(page.match(/<button/g)).toHaveLength(1);
    }
    expect(await recorded('krebs')).toEqual([]);
  });

  it('sends no script and a strict Content-Security-Policy, nosniff, no referrer and no caching', async () => {
    const response = await fetch(links()[0]!.url);
    const page = await response.text();
    expect(page.toLowerCase()).not.toContain('<script');
    expect(page).not.toMatch(/\son\w+=/i);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('pressing the button (POST)', () => {
  it('records the verdict for that entity alone, once; a repeated press says it was already recorded', async () => {
    const [, cisa] = links();
    const first = await post(cisa!.url, tokenOf(cisa!.url));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Recorded: this alert was not about CISA.');
    expect(await recorded('cisa')).toEqual([ALERT.id]);

    const again = await post(cisa!.url, tokenOf(cisa!.url));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already marked as not about CISA');
    expect(await verdicts.verdictsFor(['cisa'])).toHaveLength(1);
    expect(await recorded('krebs')).toEqual([]);
  });
});

describe('links that are refused with a plain 4xx page and record nothing', () => {
  const refusedWith = async (status: number, token: string, entityId = 'krebs') => {
    const url = `${server.url}?t=${encodeURIComponent(token)}`;
    for (const response of [await fetch(url), await post(url, token)]) {
      expect(response.status).toBe(status);
      const page = await response.text();
      expect(page).toContain('Nothing was recorded.');
      expect(page.toLowerCase()).not.toContain('<script');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    expect(await recorded(entityId)).toEqual([]);
  };

  it('a token whose alert or entity was edited (signature no longer matches): 403', async () => {
    const token = tokenOf(links()[0]!.url);
    const [payload, signature] = token.split('.');
    const edited = Buffer.from(JSON.stringify(['someotheralert', 'krebs', NOW / 1000 + 3600])).toString('base64url');
    await refusedWith(403, `${edited}.${signature}`);
    const flipped = `${payload!.slice(0, -1)}${payload!.endsWith('A') ? 'B' : 'A'}.${signature}`;
    await refusedWith(403, flipped);
  });

  it('a token signed under another key (another deployment): 403', async () => {
    const foreign = signVerdictToken(
      { alertId: ALERT.id, entityId: 'krebs', expiresAt: NOW + 3600_000 },
      'x'.repeat(64),
    );
    await refusedWith(403, foreign);
  });

  it('an expired token (30 days after the alert): 410', async () => {
    const token = tokenOf(links()[0]!.url);
    now = NOW + VERDICT_LINK_TTL_MS;
    await refusedWith(410, token);
  });

  it('a token for an entity the watchlist does not track: 404', async () => {
    const token = signVerdictToken({ alertId: ALERT.id, entityId: 'brian-krebs', expiresAt: NOW + 3600_000 }, KEY);
    await refusedWith(404, token, 'brian-krebs');
  });

  it('a missing or malformed token: 400', async () => {
    await refusedWith(400, 'not-a-token');
    await refusedWith(400, '');
    const response = await fetch(server.url);
    expect(response.status).toBe(400);
  });

  it('any method other than GET and POST: 405', async () => {
    const url = links()[0]!.url;
    const response = await fetch(url, { method: 'PUT', body: `t=${tokenOf(url)}` });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(await recorded('krebs')).toEqual([]);
  });
});
