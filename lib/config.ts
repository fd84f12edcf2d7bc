// Stack configuration: CDK context plus the validated watchlist, checked once into the one object the stack is built from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { closestName } from '../lambda/core/did-you-mean';
import type { Subscriber, Watchlist } from '../lambda/core/types';
import { loadWatchlistWith } from '../lambda/core/watchlist';

/** Reads one context value (`app.node.tryGetContext`). */
export type ContextReader = (key: string) => unknown;

export const DEFAULT_SCHEDULE = 'rate(5 minutes)';
/** The daily digest: 07:00 UTC, covering the 24 hours before. */
export const DEFAULT_DIGEST_SCHEDULE = 'cron(0 7 * * ? *)';

/** One email or SMS endpoint on one topic; `entities` absent means every entity (no filter policy). */
export interface TopicSubscription {
  protocol: 'email' | 'sms';
  endpoint: string;
  entities?: string[];
}

export interface StackConfig {
  watchlist: Watchlist;
  /** EventBridge Scheduler expression: `rate(...)` or `cron(...)`. */
  schedule: string;
  /** When the digest Lambda runs (`-c digestSchedule=`): each run covers the 24 hours before it. */
  digestSchedule: string;
  /** Instant subscribers of the alerts topic: from `-c email= -c sms=` and the watchlist. */
  alertSubscriptions: TopicSubscription[];
  /** Subscribers of the digest topic (the watchlist's `mode: digest`). */
  digestSubscriptions: TopicSubscription[];
  /** Where alarms go (`-c opsEmail=`). */
  opsEmails: string[];
  /** X-Ray active tracing on the functions (`-c tracing=true`). */
  tracing: boolean;
  /** The S3 archive of items read, for `news-alerts backtest --archive` (`-c archive=false` leaves it out). */
  archive: boolean;
}

/** Bad context values (not the watchlist, which throws its own WatchlistError). */
export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid context:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'StackConfigError';
  }
}

/** The watchlist the stack is built from when the context names none: config/watchlist.yaml. */
export const DEFAULT_WATCHLIST_PATH = resolve(__dirname, '..', 'config', 'watchlist.yaml');

/** Reads and validates a watchlist file (the default one when `path` is absent); throws WatchlistError. */
export function loadWatchlist(path: string = DEFAULT_WATCHLIST_PATH): Watchlist {
  return loadWatchlistWith(path, (file) => readFileSync(file, 'utf8'));
}

/** The context keys this app reads (`-c key=value`, or cdk.json's `context`). */
export const CONTEXT_KEYS = [
  'watchlist',
  'email',
  'sms',
  'opsEmail',
  'schedule',
  'digestSchedule',
  'tracing',
  'archive',
] as const;

/** Plain context keys the CDK itself sets or reads; its others are `aws:cdk:...` and `@aws-cdk/...:...` flags. */
const CDK_CONTEXT_KEYS = new Set(['cli-telemetry', 'acknowledged-issue-numbers']);

/**
 * A context key neither this app nor the CDK knows: most likely a typo (`-c emial=...`) that would otherwise be ignored
 * without a word, and deploy a stack nobody subscribes to.
 */
function unknownContextKeys(keys: string[]): string[] {
  const known: readonly string[] = CONTEXT_KEYS;
  return keys
    .filter((key) => !known.includes(key) && !CDK_CONTEXT_KEYS.has(key) && !key.includes(':') && !key.startsWith('@'))
    .map((key) => {
      const meant = closestName(key, known);
      return (
        `${key}: not a context key of this app${meant === undefined ? '' : ` (did you mean ${meant}?)`}; ` +
        `known keys: ${known.join(', ')}`
      );
    });
}

/** SNS allows at most 150 values in one subscription filter policy. */
const MAX_FILTER_VALUES = 150;

const email = z.email();
const e164 = z.e164();
const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const cron = /^cron\(\S+( \S+){5}\)$/;

/**
 * Builds the stack config from context. The watchlist comes from `-c watchlist=path` (default config/watchlist.yaml)
 * and throws WatchlistError with the same messages as `news-alerts validate`. `keys`, every context key the app was
 * given (`app.node.getAllContext()`), are checked against the keys this app reads.
 */
export function buildStackConfig(
  context: ContextReader,
  options: { keys?: string[]; loadList?: (path?: string) => Watchlist } = {},
): StackConfig {
  const problems = unknownContextKeys(options.keys ?? []);
  const watchlistPath = optionalString(context('watchlist'));
  const watchlist = (options.loadList ?? loadWatchlist)(
    watchlistPath === undefined ? undefined : resolve(watchlistPath),
  );

  const schedule = optionalString(context('schedule')) ?? DEFAULT_SCHEDULE;
  const scheduleProblem = checkSchedule(schedule);
  if (scheduleProblem !== undefined) problems.push(`schedule: ${scheduleProblem}`);
  const digestSchedule = optionalString(context('digestSchedule')) ?? DEFAULT_DIGEST_SCHEDULE;
  const digestScheduleProblem = checkSchedule(digestSchedule) ?? checkDaily(digestSchedule);
  if (digestScheduleProblem !== undefined) problems.push(`digestSchedule: ${digestScheduleProblem}`);

  const contextEndpoints = (key: string, protocol: TopicSubscription['protocol'], format: z.ZodType<string>) =>
    listOf(context(key)).flatMap((endpoint): TopicSubscription[] => {
      if (format.safeParse(endpoint).success) return [{ protocol, endpoint }];
      problems.push(
        `${key}: "${endpoint}" is not ${protocol === 'email' ? 'an email address' : 'an E.164 phone number'}`,
      );
      return [];
    });
  const contextSubscriptions = [...contextEndpoints('email', 'email', email), ...contextEndpoints('sms', 'sms', e164)];
  const opsEmails = contextEndpoints('opsEmail', 'email', email).map((subscription) => subscription.endpoint);

  // A switch is absent (its default) or spelled true or false.
  const optionalSwitch = (key: string): string | undefined => {
    const value = optionalString(context(key));
    if (value !== undefined && value !== 'true' && value !== 'false')
      problems.push(`${key}: "${value}" must be true or false`);
    return value;
  };
  const tracing = optionalSwitch('tracing');
  const archive = optionalSwitch('archive');

  const byMode = (mode: Subscriber['mode']) =>
    watchlist.subscribers.filter((subscriber) => subscriber.mode === mode).map(toTopicSubscription);
  const alertSubscriptions = mergeSubscriptions([...contextSubscriptions, ...byMode('instant')], watchlist);
  const digestSubscriptions = mergeSubscriptions(byMode('digest'), watchlist);
  for (const subscription of [...alertSubscriptions, ...digestSubscriptions]) {
    if ((subscription.entities?.length ?? 0) > MAX_FILTER_VALUES) {
      problems.push(`${subscription.endpoint}: more than ${MAX_FILTER_VALUES} entities in one SNS filter policy`);
    }
  }

  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    watchlist,
    schedule,
    digestSchedule,
    alertSubscriptions,
    digestSubscriptions,
    opsEmails,
    tracing: tracing === 'true',
    archive: archive !== 'false',
  };
}

/**
 * What synth warns of, without failing: a stack whose alerts or alarms would reach no one. Subscribing by hand (console,
 * CLI) after deploying is allowed, so neither is an error.
 */
export function missingRecipients(config: StackConfig): { id: string; message: string }[] {
  const warnings: { id: string; message: string }[] = [];
  if (config.alertSubscriptions.length === 0 && config.digestSubscriptions.length === 0) {
    warnings.push({
      id: 'news-alerts:no-subscribers',
      message:
        'No one will receive alerts: no -c email= or -c sms= and no subscribers in the watchlist. Add one, or ' +
        'subscribe to the AlertsTopicArn output after deploying.',
    });
  }
  if (config.opsEmails.length === 0) {
    warnings.push({
      id: 'news-alerts:no-ops-email',
      message:
        'No one will receive alarms (dead letters, function errors, failing feeds, archive writes): no -c opsEmail=. Add ' +
        'one, or subscribe to the OpsTopicArn output after deploying.',
    });
  }
  return warnings;
}

function checkSchedule(schedule: string): string | undefined {
  const rateMatch = rate.exec(schedule);
  if (rateMatch !== null) {
    const [, amount, unit] = rateMatch;
    const value = Number(amount);
    if (value < 1) return `"${schedule}": the rate must be at least 1`;
    // AWS rejects rate(1 minutes) and rate(5 minute).
    if ((value === 1) !== !unit?.endsWith('s')) return `"${schedule}": use a singular unit for 1, plural otherwise`;
    return undefined;
  }
  if (cron.test(schedule)) return undefined;
  return `"${schedule}" must be rate(<n> <minutes|hours|days>) or cron(<6 fields>)`;
}

/**
 * Each digest covers the 24 hours before it runs, so it must run once a day: a weekday-only schedule would lose the
 * weekend's stories and a twice-daily one send each story twice.
 */
function checkDaily(schedule: string): string | undefined {
  const fields = /^cron\((.*)\)$/.exec(schedule)?.[1]?.trim().split(/\s+/);
  const daily = schedule === 'rate(1 day)' || (fields !== undefined && dailyCron(fields));
  return daily
    ? undefined
    : `"${schedule}" must run once a day (each digest covers the 24 hours before it), e.g. cron(0 7 * * ? *)`;
}

function dailyCron([minute, hour, dayOfMonth, month, dayOfWeek, year]: string[]): boolean {
  const single = (field: string | undefined) => field !== undefined && /^\d{1,2}$/.test(field);
  const every = (field: string | undefined) => field === '*' || field === '?';
  return single(minute) && single(hour) && every(dayOfMonth) && every(month) && every(dayOfWeek) && every(year);
}

function toTopicSubscription(subscriber: Subscriber): TopicSubscription {
  const endpoint = subscriber.email ?? subscriber.phone ?? '';
  const protocol = subscriber.email !== undefined ? 'email' : 'sms';
  const entities =
    subscriber.entities !== undefined && subscriber.entities.length > 0 ? subscriber.entities : undefined;
  return entities === undefined ? { protocol, endpoint } : { protocol, endpoint, entities };
}

/**
 * One subscription per endpoint: SNS keeps a single subscription per topic, protocol and endpoint, so the same address
 * given twice (context and watchlist) gets the union of its entities, or every entity if either asked for all.
 */
function mergeSubscriptions(subscriptions: TopicSubscription[], watchlist: Watchlist): TopicSubscription[] {
  const merged = new Map<string, TopicSubscription>();
  for (const subscription of subscriptions) {
    const key = `${subscription.protocol}:${subscription.endpoint.toLowerCase()}`;
    const existing = merged.get(key);
    if (existing === undefined) {
      merged.set(key, subscription);
    } else if (existing.entities === undefined || subscription.entities === undefined) {
      merged.set(key, { protocol: existing.protocol, endpoint: existing.endpoint });
    } else {
      const chosen = new Set([...existing.entities, ...subscription.entities]);
      // Watchlist order, so the synthesized filter policy does not depend on the order subscribers were listed in.
      const entities = watchlist.entities.map((entity) => entity.id).filter((id) => chosen.has(id));
      merged.set(key, { ...existing, entities });
    }
  }
  return [...merged.values()];
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** `-c email=a@b.c,d@e.f` on the command line, or a list in cdk.json. */
function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : (optionalString(value)?.split(',') ?? []);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}
