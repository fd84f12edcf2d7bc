// Renders a CloudWatch alarm's state change (the event an alarm's Lambda action receives) as a short ops email.
import { singleLine, toAscii, truncate } from './channel-text';
import { SUBJECT_MAX_CHARS } from './format';

/**
 * The parts of the alarm-action event read here; aws-lambda's CloudWatchAlarmEvent has them all. Only the alarm name
 * and new state are required: anything else missing is left out of the email rather than failing it.
 */
export interface AlarmStateChange {
  alarmArn?: string;
  accountId?: string;
  region?: string;
  time?: string;
  alarmData: {
    alarmName: string;
    state: AlarmState;
    previousState?: Partial<AlarmState>;
    configuration?: {
      description?: string;
      metrics?: AlarmMetricQuery[];
      /** Composite alarms have a rule instead of metrics. */
      alarmRule?: string;
    };
  };
}

export interface AlarmState {
  value: string;
  reason?: string;
  timestamp?: string;
}

export interface AlarmMetricQuery {
  metricStat?: {
    metric?: { namespace?: string; name?: string; dimensions?: Record<string, string> };
    period?: number;
    stat?: string;
  };
  expression?: string;
  returnData?: boolean;
}

export interface OpsEmail {
  /** One line of printable ASCII, at most SUBJECT_MAX_CHARS: "ALARM: <alarm name>". */
  subject: string;
  body: string;
}

export class NotAnAlarmEventError extends Error {
  constructor(problem: string) {
    super(`not a CloudWatch alarm event: ${problem}`);
    this.name = 'NotAnAlarmEventError';
  }
}

/** CloudWatch's reasons are a sentence or two; a longer one (a composite alarm's) is cut rather than flooding the mail. */
const REASON_MAX_CHARS = 1000;

/** Console host by partition (the alarm ARN's second field); the commercial one for anything else. */
const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** Checks what the email cannot do without; throws NotAnAlarmEventError naming what is missing. */
export function assertAlarmStateChange(event: unknown): asserts event is AlarmStateChange {
  const data = (event as { alarmData?: { alarmName?: unknown; state?: { value?: unknown } } } | null)?.alarmData;
  if (typeof data?.alarmName !== 'string' || data.alarmName.trim() === '') {
    throw new NotAnAlarmEventError('no alarmData.alarmName');
  }
  if (typeof data.state?.value !== 'string' || data.state.value.trim() === '') {
    throw new NotAnAlarmEventError('no alarmData.state.value');
  }
}

/**
 * Subject "ALARM: <name>" (or "OK: ...") and a plain-text body: the alarm's description, then one labelled line each
 * for the alarm, the state change, CloudWatch's reason, when, where, the metric and a console link. Every field is
 * folded to one line, so nothing in an alarm's text can start a line of its own.
 */
export function formatAlarmEmail(event: AlarmStateChange): OpsEmail {
  const { alarmData } = event;
  const name = singleLine(alarmData.alarmName);
  const state = singleLine(alarmData.state.value);
  const previous = optionalLine(alarmData.previousState?.value);
  const description = optionalLine(alarmData.configuration?.description);
  const reason = optionalLine(alarmData.state.reason);
  const region = optionalLine(event.region) ?? arnField(event.alarmArn, 3);
  const account = optionalLine(event.accountId);
  const time = optionalLine(alarmData.state.timestamp) ?? optionalLine(event.time);
  // The exact name, percent-encoded: the cleaned one shown above may not find the alarm.
  const link = region === undefined ? undefined : consoleLink(arnField(event.alarmArn, 1), region, alarmData.alarmName);

  const lines = [
    ...(description === undefined ? [] : [description, '']),
    `Alarm: ${name}`,
    `State: ${previous === undefined ? state : `${previous} -> ${state}`}`,
    reason && `Reason: ${truncate(reason, REASON_MAX_CHARS)}`,
    time && `Time: ${utcTime(time)}`,
    region && `Region: ${region}${account ? ` (account ${account})` : ''}`,
    ...metricLines(alarmData.configuration),
    link && `Console: ${link}`,
  ];
  return {
    subject: truncate(toAscii(`${state}: ${name}`), SUBJECT_MAX_CHARS),
    body: `${lines.filter((line): line is string => typeof line === 'string').join('\n')}\n`,
  };
}

function optionalLine(text: string | undefined): string | undefined {
  const line = text === undefined ? '' : singleLine(text);
  return line === '' ? undefined : line;
}

/** A field of an ARN (1 partition, 3 region), if the ARN has it. */
function arnField(arn: string | undefined, index: number): string | undefined {
  const field = arn?.split(':')[index];
  return field === undefined || field === '' ? undefined : field;
}

/** CloudWatch writes "2026-03-02T14:05:12.345+0000"; shown as "2026-03-02 14:05:12 UTC", or as given if unreadable. */
function utcTime(text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return singleLine(text);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "Metric: AWS/Lambda Errors (FunctionName=poll), Sum per 5 min", one per query that produces the alarm's value. */
function metricLines(configuration: AlarmStateChange['alarmData']['configuration']): string[] {
  if (configuration?.alarmRule !== undefined) return [`Rule: ${truncate(singleLine(configuration.alarmRule), 500)}`];
  const queries = configuration?.metrics ?? [];
  // A metric-math alarm returns its expression and only reads the metrics under it.
  const shown = queries.some((query) => query.returnData === true)
    ? queries.filter((query) => query.returnData === true)
    : queries;
  return shown.flatMap((query) => {
    if (query.expression !== undefined) return [`Expression: ${singleLine(query.expression)}`];
    const stat = query.metricStat;
    if (stat?.metric?.name === undefined) return [];
    const dimensions = Object.entries(stat.metric.dimensions ?? {}).map(([key, value]) => `${key}=${value}`);
    const what = [stat.metric.namespace, stat.metric.name].filter(Boolean).join(' ');
    const how = [stat.stat, stat.period === undefined ? undefined : `per ${duration(stat.period)}`]
      .filter(Boolean)
      .join(' ');
    return [
      singleLine(
        `Metric: ${what}${dimensions.length > 0 ? ` (${dimensions.join(', ')})` : ''}${how ? `, ${how}` : ''}`,
      ),
    ];
  });
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The alarm's page in the CloudWatch console of its partition and region. */
function consoleLink(partition: string | undefined, region: string, name: string): string {
  const host = CONSOLE_HOSTS[partition ?? 'aws'] ?? CONSOLE_HOSTS.aws;
  const where = encodeURIComponent(region);
  return `https://${where}.${host}/cloudwatch/home?region=${where}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}
