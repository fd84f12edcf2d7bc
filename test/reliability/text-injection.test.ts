// Text injection end to end: hostile titles served in a real feed go through parse, normalize, format and the real
// SNS sink to fauxqs, and what an SQS subscriber receives is checked against what email and SMS would show: a valid
// one-line ASCII Subject, an SMS of one line and one segment, and no markup, control or reordering character.

import { MemoryStateStore } from '../../lambda/adapters/memory-state-store';
import { SnsAlertSink } from '../../lambda/adapters/sns-alert-sink';
import { gsm7Length } from '../../lambda/core/channel-text';
import { type FeedOutcome, pollFeeds } from '../../lambda/pipeline';
import { type LocalSns, type SnsNotification, startFauxqs } from '../support/fauxqs';
import { FeedServer } from '../support/feed-server';
import { pollPorts } from '../support/poll-ports';
import {
  type FeedEntry,
  ManualClock,
  MINUTE,
  pollOptions,
  RSS_HEADERS,
  rssDocument,
  T0,
  testFeedSource,
} from './harness';

/** Item `n` naming `name` (each hostile item is about another entity, so none joins another's story). */
const entry = (n: number, rawTitle: string, extra: Partial<FeedEntry> = {}): FeedEntry => ({
  guid: `urn:test:injection:${n}`,
  title: '',
  rawTitle,
  link: `https://news.example.com/injection/${n}`,
  publishedAt: T0 - (n + 1) * MINUTE,
  ...extra,
});
const tokens = (n: number) => ['a', 'b', 'c', 'f', 'g', 'h'].map((letter) => `inject${n}q${letter}`).join(' ');

const ENTRIES: FeedEntry[] = [
  // Line breaks, raw and as character references, to forge headers or extra SMS lines; C0 and C1 controls.
  entry(
    0,
    `Christopher Krebs fired ${tokens(0)}\nSubject: You won&#13;&#10;Bcc: victim@example.com&#10;&#10;Click here&#x85;now&#x2028;&#x2029;end&#x9;tab&#x7f;&#x9b;31m`,
  ),
  // Bidi overrides and isolates that reorder text, zero-width characters that hide it.
  entry(
    1,
    `Gabriel Sterling ${tokens(1)} report\u202Efdp.exe\u202C \u2066isolated\u2069 hid\u200Bden\u200D text\uFEFF`,
  ),
  // One 10 kB word after the name.
  entry(2, `Matthew Masterson ${tokens(2)} ${'W'.repeat(10_000)}`),
  // Markup, in CDATA and escaped: it must reach nobody as markup.
  entry(
    3,
    `<![CDATA[<b>Brad Raffensperger</b> ${tokens(3)} <script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a>]]>`,
  ),
  // Escaped markup, and a link with a scheme no reader should follow.
  entry(
    4,
    `&lt;iframe src="//evil.example"&gt;&lt;/iframe&gt;Cybersecurity and Infrastructure Security Agency ${tokens(4)}`,
    {
      link: 'javascript:alert(document.cookie)',
    },
  ),
];

let sns: LocalSns;
let server: FeedServer;
let outcome: FeedOutcome;
let received: SnsNotification[];

beforeAll(async () => {
  [sns, server] = await Promise.all([startFauxqs(), FeedServer.start()]);
  server.route('/hostile', { headers: RSS_HEADERS, body: rssDocument(ENTRIES, 'Hostile titles') });
  const topicArn = await sns.createTopic();
  const { queueUrl } = await sns.subscribeQueue(topicArn);
  const ports = pollPorts({
    source: testFeedSource(),
    state: new MemoryStateStore(),
    sink: new SnsAlertSink({ client: sns.sns, topicArn }),
    clock: new ManualClock(),
  });
  [outcome] = (await pollFeeds([{ url: server.url('/hostile'), name: 'Hostile' }], ports, pollOptions())) as [
    FeedOutcome,
  ];
  received = await sns.receive(queueUrl, ENTRIES.length, { timeoutMs: 20_000, settleMs: 1_000 });
}, 60_000);

afterAll(async () => {
  await Promise.all([sns?.stop(), server?.close()]);
});

interface Bodies {
  default: string;
  email: string;
  sms: string;
}
const bodiesOf = (notification: SnsNotification) => JSON.parse(notification.Message) as Bodies;

/** C0 controls but line feed, DEL, C1 controls, line and paragraph separators, bidi marks and zero-width characters. */
const HIDDEN_OR_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
const MARKUP = /<\s*\/?\s*[a-z!][^>]*>/i;
/** GSM 03.38 basic and extension characters, but line feed and carriage return. */
const GSM7_ONE_LINE = /^[@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/u;

it('every hostile item is alerted: SNS accepted every entry and the subscriber got each once', () => {
  expect(outcome).toMatchObject({ status: 'ok', failedAlerts: 0 });
  expect(outcome.alerts).toHaveLength(ENTRIES.length);
  expect(received).toHaveLength(ENTRIES.length);
  expect(new Set(received.map((notification) => notification.MessageId)).size).toBe(ENTRIES.length);
});

it('the Subject stays one line of printable ASCII under 100 characters', () => {
  for (const { Subject } of received) {
    expect(Subject).toMatch(/^\[news-alerts\] [\x20-\x7e]+$/);
    expect(Subject?.length).toBeLessThan(100);
  }
});

it('the SMS is one line of GSM-7 in one segment: a line break in a title cannot start a line of its own', () => {
  for (const notification of received) {
    const { sms } = bodiesOf(notification);
    expect(sms).toMatch(GSM7_ONE_LINE);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(160);
  }
});

it('the email carries no control, bidi or zero-width character and no forged header line', () => {
  for (const notification of received) {
    const { email, default: fallback } = bodiesOf(notification);
    expect(fallback).toBe(email);
    expect(email).not.toMatch(HIDDEN_OR_CONTROL);
    expect(email).not.toMatch(/^(Subject|Bcc):/m);
    // The 10 kB word is cut with the rest of the title; the whole email stays small.
    expect(email.length).toBeLessThan(6_000);
  }
  const masterson = received.map(bodiesOf).find((bodies) => bodies.email.includes('Matthew Masterson'));
  const titleLine = masterson?.email.split('\n')[0] ?? '';
  expect(titleLine).toMatch(/^Matthew Masterson inject2qa .* W+(…|\.\.\.)$/);
  expect(titleLine.length).toBeLessThanOrEqual(500);
});

it('nothing reaches a subscriber as markup or as a javascript: link, and the words around it survive', () => {
  for (const notification of received) {
    const bodies = bodiesOf(notification);
    for (const text of [notification.Subject ?? '', bodies.email, bodies.sms]) {
      expect(text).not.toMatch(MARKUP);
      expect(text.toLowerCase()).not.toContain('javascript:');
      expect(text).not.toMatch(/onerror|<script|alert\(/i);
    }
  }
  const emails = received.map((notification) => bodiesOf(notification).email);
  expect(emails.some((email) => email.startsWith(`Brad Raffensperger ${tokens(3)}`))).toBe(true);
  expect(emails.some((email) => email.startsWith('Cybersecurity and Infrastructure Security Agency'))).toBe(true);
});
