// AlertSink on an SNS topic: one PublishBatch per ten alerts, per-protocol bodies, the entity list as a filterable attribute.
import {
  type MessageAttributeValue,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { ALERT_KIND, CHANNEL, CHANNEL_ATTRIBUTE, ENTITY_ATTRIBUTE, KIND_ATTRIBUTE } from '../contract/sns-attributes';
import { formatEmail, formatSms, formatSubject } from '../core/format';
import type { Alert } from '../core/types';
import type { VerdictLink } from '../core/verdict-token';
import type { AlertSink, PublishResult } from '../ports';
import type { VerdictLinker } from './verdict-linker';

export interface SnsAlertSinkOptions {
  client: SNSClient;
  topicArn: string;
  /** Signs the "Not about <entity>?" links of each email; without it (locally), emails carry none. */
  verdictLinks?: VerdictLinker;
}

/** SNS limits (PublishBatch and Publish API reference, "Amazon SNS message attributes"). */
export const SNS_LIMITS = {
  batchEntries: 10,
  /** Per message and per batch (sum of all entries), body and attributes together. */
  payloadBytes: 262_144,
  subjectChars: 100,
  messageAttributes: 10,
  attributeNameChars: 256,
  entryId: /^[A-Za-z0-9_-]{1,80}$/,
} as const;

const DATA_TYPES = /^(String|String\.Array|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;

export class SnsAlertSink implements AlertSink {
  private readonly client: SNSClient;
  private readonly topicArn: string;
  private readonly verdictLinks: VerdictLinker | undefined;

  constructor(options: SnsAlertSinkOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
    this.verdictLinks = options.verdictLinks;
  }

  /** The alert's verdict links; none when the key cannot be read, as an alert without them beats no alert. */
  private async linksFor(alert: Alert): Promise<VerdictLink[]> {
    if (this.verdictLinks === undefined) return [];
    try {
      return await this.verdictLinks.linksFor(alert);
    } catch {
      return [];
    }
  }

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    const results: PublishResult[] = alerts.map((alert) => ({ alertId: alert.id, ok: false, error: 'not published' }));
    const sendable: { index: number; entry: PublishBatchRequestEntry }[] = [];
    const links = await Promise.all(alerts.map((alert) => this.linksFor(alert)));
    alerts.forEach((alert, index) => {
      const entry = alertEntry(alert, `alert-${index}`, links[index]);
      const problems = entryProblems(entry);
      if (problems.length > 0) results[index] = { alertId: alert.id, ok: false, error: problems.join('; ') };
      else sendable.push({ index, entry });
    });
    for (const batch of batches(sendable)) {
      const byId = new Map(batch.map(({ index, entry }) => [entry.Id, index]));
      try {
        const output = await this.client.send(
          new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: batch.map((b) => b.entry) }),
        );
        for (const success of output.Successful ?? []) {
          const index = byId.get(success.Id);
          if (index !== undefined)
            results[index] = { alertId: alerts[index]!.id, ok: true, messageId: success.MessageId };
        }
        for (const failure of output.Failed ?? []) {
          const index = byId.get(failure.Id);
          if (index !== undefined) {
            results[index] = {
              alertId: alerts[index]!.id,
              ok: false,
              error: `${failure.Code ?? 'Failed'}: ${failure.Message ?? 'no message'}`,
            };
          }
        }
      } catch (error) {
        // Throttling or a 5xx the SDK's own retries could not get past: the whole batch stays unsent for the next poll.
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        for (const { index } of batch) results[index] = { alertId: alerts[index]!.id, ok: false, error: message };
      }
    }
    return results;
  }
}

/**
 * One batch entry: `MessageStructure: json` with a body per protocol (`default` for any other, e.g. SQS or HTTPS),
 * the email Subject, `entity` as a String.Array attribute that subscription filter policies match on, `channel`
 * (all / sms-held) that keeps a held-back alert away from SMS subscriptions, and `kind` (story / same-story).
 */
export function alertEntry(alert: Alert, id: string, verdictLinks: VerdictLink[] = []): PublishBatchRequestEntry {
  const email = formatEmail(alert, verdictLinks);
  return {
    Id: id,
    Subject: formatSubject(alert),
    MessageStructure: 'json',
    Message: JSON.stringify({ default: email, email, sms: formatSms(alert) }),
    MessageAttributes: {
      [ENTITY_ATTRIBUTE]: { DataType: 'String.Array', StringValue: JSON.stringify(alert.entities) },
      [CHANNEL_ATTRIBUTE]: { DataType: 'String', StringValue: alert.smsHeld ? CHANNEL.smsHeld : CHANNEL.all },
      [KIND_ATTRIBUTE]: { DataType: 'String', StringValue: alert.partOf ? ALERT_KIND.sameStory : ALERT_KIND.story },
    },
  };
}

/** Groups entries into PublishBatch calls of at most ten entries and 256 KiB in all. */
function batches<T extends { entry: PublishBatchRequestEntry }>(entries: T[]): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of entries) {
    const size = entryBytes(item.entry);
    if (current.length === SNS_LIMITS.batchEntries || (current.length > 0 && bytes + size > SNS_LIMITS.payloadBytes)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** What SNS counts toward the size limit: the body, the subject, and every attribute's name, type and value. */
export function entryBytes(entry: PublishBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.Message ?? '') + Buffer.byteLength(entry.Subject ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += value.StringValue !== undefined ? Buffer.byteLength(value.StringValue) : (value.BinaryValue?.length ?? 0);
  }
  return bytes;
}

/** Every way a PublishBatch request breaks SNS's documented rules (entries, unique Ids, total size); empty if none. */
export function batchProblems(entries: PublishBatchRequestEntry[]): string[] {
  const problems: string[] = [];
  if (entries.length === 0 || entries.length > SNS_LIMITS.batchEntries) {
    problems.push(`batch has ${entries.length} entries, not 1 to ${SNS_LIMITS.batchEntries}`);
  }
  if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) problems.push('batch entry Ids repeat');
  const total = entries.reduce((sum, entry) => sum + entryBytes(entry), 0);
  if (total > SNS_LIMITS.payloadBytes) problems.push(`batch is ${total} bytes, over ${SNS_LIMITS.payloadBytes}`);
  for (const entry of entries) problems.push(...entryProblems(entry).map((problem) => `${entry.Id}: ${problem}`));
  return problems;
}

/** Every way an entry breaks SNS's documented rules; empty when SNS would accept it. */
export function entryProblems(entry: PublishBatchRequestEntry): string[] {
  const problems: string[] = [];
  if (!entry.Id || !SNS_LIMITS.entryId.test(entry.Id)) problems.push(`entry Id ${JSON.stringify(entry.Id)} is invalid`);
  if (entry.Subject !== undefined) problems.push(...subjectProblems(entry.Subject));
  problems.push(...messageProblems(entry));
  const attributes = Object.entries(entry.MessageAttributes ?? {});
  if (attributes.length > SNS_LIMITS.messageAttributes) {
    problems.push(`${attributes.length} message attributes, more than ${SNS_LIMITS.messageAttributes}`);
  }
  for (const [name, value] of attributes) problems.push(...attributeProblems(name, value));
  const bytes = entryBytes(entry);
  if (bytes > SNS_LIMITS.payloadBytes) problems.push(`message is ${bytes} bytes, over ${SNS_LIMITS.payloadBytes}`);
  return problems;
}

/** Email subjects: ASCII, no line breaks or control characters, under 100 characters, starting with a letter, digit
 * or punctuation mark. */
export function subjectProblems(subject: string): string[] {
  const problems: string[] = [];
  if (subject.length === 0) problems.push('Subject is empty');
  if (subject.length >= SNS_LIMITS.subjectChars)
    problems.push(`Subject has ${subject.length} characters, not under 100`);
  if (!/^[\x20-\x7e]*$/.test(subject)) problems.push('Subject has non-ASCII, line break or control characters');
  if (subject.length > 0 && !/^[A-Za-z0-9\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(subject)) {
    problems.push('Subject does not start with a letter, number or punctuation mark');
  }
  return problems;
}

function messageProblems(entry: PublishBatchRequestEntry): string[] {
  if (!entry.Message) return ['Message is empty'];
  if (entry.MessageStructure !== 'json') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.Message);
  } catch {
    return ['MessageStructure is json but Message is not JSON'];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return ['Message is not a JSON object'];
  const bodies = Object.entries(parsed);
  const problems: string[] = [];
  if (typeof (parsed as Record<string, unknown>).default !== 'string') problems.push('Message has no string "default"');
  for (const [protocol, body] of bodies) {
    if (typeof body !== 'string') problems.push(`Message body for "${protocol}" is not a string`);
  }
  return problems;
}

function attributeProblems(name: string, value: MessageAttributeValue): string[] {
  const problems: string[] = [];
  const validName =
    /^[A-Za-z0-9_.-]+$/.test(name) &&
    name.length <= SNS_LIMITS.attributeNameChars &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !/^(aws|amazon)\./i.test(name);
  if (!validName) problems.push(`attribute name ${JSON.stringify(name)} is invalid`);
  const type = value.DataType ?? '';
  if (!DATA_TYPES.test(type)) problems.push(`attribute ${name} has unsupported type ${JSON.stringify(type)}`);
  if (type.startsWith('Binary')) {
    if (!value.BinaryValue || value.BinaryValue.length === 0) problems.push(`attribute ${name} has no binary value`);
    return problems;
  }
  if (!value.StringValue) {
    problems.push(`attribute ${name} has an empty value`);
    return problems;
  }
  if (type.startsWith('String.Array') && !isStringArrayValue(value.StringValue)) {
    problems.push(`attribute ${name} is not a JSON array of strings, numbers, booleans or null`);
  }
  if (type.startsWith('Number') && !Number.isFinite(Number(value.StringValue))) {
    problems.push(`attribute ${name} is not a number`);
  }
  return problems;
}

function isStringArrayValue(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return (
      Array.isArray(parsed) && parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    );
  } catch {
    return false;
  }
}
