// Stack configuration from CDK context: defaults, schedule rules, subscriber lists, and every bad value named at once.
import { join } from 'node:path';
import { WatchlistError } from '../../lambda/core/watchlist';
import {
  buildStackConfig,
  CONTEXT_KEYS,
  DEFAULT_SCHEDULE,
  missingRecipients,
  StackConfigError,
} from '../../lib/config';
import { projectContext } from './project-app';

const WATCHLIST = join(__dirname, 'fixtures', 'watchlist.yaml');

const configFrom = (context: Record<string, unknown>) =>
  buildStackConfig((key) => ({ watchlist: WATCHLIST, ...context })[key]);

function problemsOf(context: Record<string, unknown>): string[] {
  try {
    configFrom(context);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a StackConfigError');
}

test('with no context: the default watchlist, a 5-minute schedule, no tracing, no ops email', () => {
  const config = buildStackConfig(() => undefined);
  expect(config.schedule).toBe(DEFAULT_SCHEDULE);
  expect(DEFAULT_SCHEDULE).toBe('rate(5 minutes)');
  expect(config.tracing).toBe(false);
  expect(config.archive).toBe(true);
  expect(config.opsEmails).toEqual([]);
  expect(config.watchlist.entities.map((entity) => entity.id)).toEqual(
    expect.arrayContaining(['krebs', 'cisa', 'masterson', 'raffensperger', 'sterling']),
  );
});

test('the watchlist subscribers, split into instant and digest, with their entities', () => {
  const config = configFrom({});
  expect(config.alertSubscriptions).toEqual([
    { protocol: 'email', endpoint: 'krebs-watcher@example.com', entities: ['krebs'] },
    { protocol: 'sms', endpoint: '+15555550111' },
    { protocol: 'email', endpoint: 'both@example.com', entities: ['quill'] },
  ]);
  expect(config.digestSubscriptions).toEqual([
    { protocol: 'email', endpoint: 'digest-reader@example.com', entities: ['cisa', 'quill'] },
  ]);
});

test('-c email and -c sms take comma-separated lists (or lists in cdk.json); a repeated address merges', () => {
  const config = configFrom({ email: ' a@example.com,BOTH@example.com ', sms: ['+15555550100', '+442071838750'] });
  expect(config.alertSubscriptions).toEqual([
    { protocol: 'email', endpoint: 'a@example.com' },
    // Context asks for everything, so the watchlist's entity choice for the same address widens to all.
    { protocol: 'email', endpoint: 'BOTH@example.com' },
    { protocol: 'sms', endpoint: '+15555550100' },
    { protocol: 'sms', endpoint: '+442071838750' },
    { protocol: 'email', endpoint: 'krebs-watcher@example.com', entities: ['krebs'] },
    { protocol: 'sms', endpoint: '+15555550111' },
  ]);
});

test.each(['rate(1 minute)', 'rate(10 minutes)', 'rate(2 hours)', 'rate(1 day)', 'cron(0/15 6-22 * * ? *)'])(
  'schedule %s is accepted',
  (schedule) => {
    expect(configFrom({ schedule }).schedule).toBe(schedule);
  },
);

test.each([
  ['rate(1 minutes)', '"rate(1 minutes)": use a singular unit for 1, plural otherwise'],
  ['rate(5 minute)', '"rate(5 minute)": use a singular unit for 1, plural otherwise'],
  ['rate(0 minutes)', '"rate(0 minutes)": the rate must be at least 1'],
  ['every 5 minutes', '"every 5 minutes" must be rate(<n> <minutes|hours|days>) or cron(<6 fields>)'],
  ['cron(0 7 * * ?)', '"cron(0 7 * * ?)" must be rate(<n> <minutes|hours|days>) or cron(<6 fields>)'],
])('schedule %s is refused', (schedule, message) => {
  expect(problemsOf({ schedule })).toEqual([`schedule: ${message}`]);
});

test.each(['cron(0 7 * * ? *)', 'cron(30 18 ? * * *)', 'rate(1 day)'])(
  'digestSchedule %s (once a day) is accepted',
  (digestSchedule) => {
    expect(configFrom({ digestSchedule }).digestSchedule).toBe(digestSchedule);
  },
);

test.each(['cron(0 7 ? * MON-FRI *)', 'cron(0 7,19 * * ? *)', 'rate(12 hours)'])(
  'digestSchedule %s is refused: each digest covers the 24 hours before it, so a weekday or twice-daily one loses or repeats stories',
  (digestSchedule) => {
    expect(problemsOf({ digestSchedule })).toEqual([
      `digestSchedule: "${digestSchedule}" must run once a day (each digest covers the 24 hours before it), e.g. cron(0 7 * * ? *)`,
    ]);
  },
);

test('every bad context value is listed in one error', () => {
  expect(
    problemsOf({
      email: 'me@example.com,not-an-address',
      sms: '555-0100',
      opsEmail: 'ops',
      tracing: 'yes',
      archive: 'off',
    }),
  ).toEqual([
    'email: "not-an-address" is not an email address',
    'sms: "555-0100" is not an E.164 phone number',
    'opsEmail: "ops" is not an email address',
    'tracing: "yes" must be true or false',
    'archive: "off" must be true or false',
  ]);
});

test('-c opsEmail and -c tracing=true', () => {
  const config = configFrom({ opsEmail: 'oncall@example.com,lead@example.com', tracing: 'true' });
  expect(config.opsEmails).toEqual(['oncall@example.com', 'lead@example.com']);
  expect(config.tracing).toBe(true);
});

test('a watchlist path that does not exist is a WatchlistError naming it', () => {
  const missing = join(__dirname, 'fixtures', 'no-such-watchlist.yaml');
  expect(() => buildStackConfig((key) => (key === 'watchlist' ? missing : undefined))).toThrow(WatchlistError);
  expect(() => buildStackConfig((key) => (key === 'watchlist' ? missing : undefined))).toThrow(missing);
});

describe('context keys', () => {
  const withKeys = (context: Record<string, unknown>) => {
    const all: Record<string, unknown> = { ...projectContext(), watchlist: WATCHLIST, ...context };
    return () => buildStackConfig((key) => all[key], { keys: Object.keys(all) });
  };

  it("accepts this app's keys beside the CDK's own (cdk.json's flags, aws:cdk:*, cli-telemetry)", () => {
    const context = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, undefined]));
    expect(withKeys({ ...context, 'aws:cdk:bundling-stacks': ['**'], 'cli-telemetry': false })).not.toThrow();
  });

  it('refuses a mistyped key, naming the key it resembles and every known key', () => {
    expect(withKeys({ emial: 'me@example.com' })).toThrow(
      new StackConfigError([
        'emial: not a context key of this app (did you mean email?); known keys: watchlist, email, sms, opsEmail, ' +
          'schedule, digestSchedule, tracing, archive',
      ]),
    );
  });

  it('lists every unknown key with the other problems, suggesting only what is close', () => {
    expect(() => withKeys({ opsemail: 'ops@example.com', region: 'eu-west-1', tracing: 'yes' })()).toThrow(
      /opsemail: not a context key of this app \(did you mean opsEmail\?\).*\n.*region: not a context key of this app; known keys: .*\n.*tracing: "yes" must be true or false/,
    );
  });
});

test('synth warns of whichever of alerts and alarms would reach no one, and of neither once both have a recipient', () => {
  const warnings = (context: Record<string, unknown>) =>
    missingRecipients(buildStackConfig((key) => context[key])).map(
      ({ message }) => /^No one will receive (\w+)/.exec(message)?.[1],
    );
  expect(warnings({})).toEqual(['alerts', 'alarms']);
  expect(warnings({ email: 'me@example.com' })).toEqual(['alarms']);
  expect(warnings({ sms: '+15555550100', opsEmail: 'ops@example.com' })).toEqual([]);
  // The watchlist's subscribers count, digest ones included.
  expect(warnings({ watchlist: WATCHLIST })).toEqual(['alarms']);
});
