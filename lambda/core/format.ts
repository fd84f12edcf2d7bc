// Renders an Alert for each delivery channel (email subject, SMS, email body, terminal); pure text in, text out.

import { gsm7Length, INVISIBLE_CHARS, paragraphs, singleLine, toAscii, toGsm7, truncate } from './channel-text';
import type { Digest, DigestPeriod, DigestStory } from './digest';
import { formatFollowUp, storyDay } from './story';
import type { Alert } from './types';
import type { VerdictLink } from './verdict-token';

/** SNS requires a Subject of fewer than 100 characters. */
export const SUBJECT_MAX_CHARS = 99;
/** One GSM-7 SMS segment; longer messages are split and billed per segment. */
export const SMS_MAX_GSM_UNITS = 160;
/** A daily digest by SMS may take four concatenated GSM-7 segments of 153 septets; each headline at most 90. */
const DIGEST_SMS_MAX_GSM_UNITS = 612;
const DIGEST_SMS_TITLE_CHARS = 90;
/** A headline in another script goes as UCS-2: two concatenated segments of 67 characters. */
export const SMS_MAX_UCS2_CHARS = 134;
/** Bounds on the email body so ten alerts always fit one 256 KiB PublishBatch. */
const EMAIL_SUMMARY_MAX_CHARS = 2000;
const EMAIL_MAX_EVIDENCE = 5;
const TITLE_MAX_CHARS = 500;
const ENTITY_PREFIX_MAX_CHARS = 40;
/** An SMS keeps its link only when at least this much of the title still fits beside it. */
const SMS_MIN_TITLE_CHARS = 20;

const SUBJECT_PREFIX = '[news-alerts] ';

/**
 * "Christopher Krebs, Gabriel Sterling"; when the names do not fit, the short ones ("CISA, Sterling"), so a follower of
 * any of them sees it named; when even those do not fit, "Krebs +2".
 */
function entityLabel(alert: Alert, clean: (s: string) => string): string {
  const cleanAll = (names: readonly string[]) => names.map(clean).filter((name) => name.length > 0);
  const full = cleanAll(alert.entityNames);
  const short = alert.entityShortNames ? cleanAll(alert.entityShortNames) : full;
  for (const names of [full, short]) {
    const joined = names.join(', ');
    if (joined.length <= ENTITY_PREFIX_MAX_CHARS || names.length <= 1) return truncate(joined, ENTITY_PREFIX_MAX_CHARS);
  }
  const first = truncate(short[0] ?? '', ENTITY_PREFIX_MAX_CHARS - 4);
  return `${first} +${short.length - 1}`;
}

/** The title as one clean line of at most 500 characters, or a placeholder when nothing printable is left. */
function titleLine(alert: Alert, clean: (s: string) => string): string {
  return truncate(clean(alert.title), TITLE_MAX_CHARS) || '(untitled)';
}

/** An http(s) link of printable ASCII (as URL.href produces), or undefined. */
function safeLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  const cleaned = link.replace(INVISIBLE_CHARS, '').trim();
  if (!/^https?:\/\/[\x21-\x7e]+$/i.test(cleaned)) return undefined;
  return cleaned;
}

/** `2020-11-18 01:23 UTC` */
function utcDate(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The earlier story an alert points at, as the email line and the SMS tag say it: the story it follows up, or the
 * story it belongs to when it brings that story to the followers of an entity it newly names.
 */
function storyReference(alert: Alert): { line: string; smsTag: string } | undefined {
  if (alert.followUp) {
    return { line: formatFollowUp(alert.followUp), smsTag: `follow-up, ${storyDay(alert.followUp.firstSeenAt)}` };
  }
  if (alert.partOf) {
    const day = storyDay(alert.partOf.firstSeenAt);
    return { line: `Same story as: ${alert.partOf.title}, ${day}`, smsTag: `story of ${day}` };
  }
  return undefined;
}

/** "Follow-up to: <earlier story>, 17 Nov" or "Same story as: <story>, 17 Nov" on one line; undefined when neither. */
function followUpLine(alert: Alert): string | undefined {
  const reference = storyReference(alert);
  return reference && singleLine(reference.line);
}

/** "Also in: BBC News, NPR" on one line, or undefined when no other outlet has carried the story yet. */
function alsoInLine(alert: Alert): string | undefined {
  const publishers = (alert.alsoIn ?? []).map(singleLine).filter((publisher) => publisher !== '');
  return publishers.length > 0 ? `Also in: ${publishers.join(', ')}` : undefined;
}

/** "+3 more alerts held since 14:05 UTC": what the SMS storm guard kept from SMS since the previous one. */
function heldNote(alert: Alert): string | undefined {
  const held = alert.smsHeldBefore;
  if (held === undefined || held.count <= 0 || !Number.isFinite(held.since)) return undefined;
  const time = new Date(held.since).toISOString().slice(11, 16);
  return `+${held.count} more alert${held.count === 1 ? '' : 's'} held since ${time} UTC`;
}

/** "score 6.05, margin 5.55: foreign +2.55, vot +2.42": the words that tipped a bare name, heaviest first. */
function topicWords(topic: NonNullable<Alert['evidence'][number]['topic']>): string {
  const terms = topic.terms
    .slice(0, 4)
    .map(({ term, weight }) => `${singleLine(term)} ${weight >= 0 ? '+' : ''}${weight}`);
  const own = topic.ownScore === undefined ? '' : `, against its own look-alikes ${topic.ownScore}`;
  return `score ${topic.score}${own}, margin ${topic.margin}: ${terms.join(', ')}`;
}

/** Evidence snippets worth showing: one line each, duplicates dropped, at most `limit`. */
function evidenceLines(alert: Alert, limit: number): string[] {
  const names = new Map(alert.entities.map((id, i) => [id, alert.entityNames[i] ?? id]));
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const evidence of alert.evidence) {
    const snippet = truncate(singleLine(evidence.snippet), 200);
    const key = `${evidence.entityId}\u0000${snippet}`;
    if (snippet.length === 0 || seen.has(key)) continue;
    seen.add(key);
    const context = evidence.context
      ? ` with "${singleLine(evidence.context)}"`
      : evidence.topic
        ? ` by topic (${topicWords(evidence.topic)})`
        : '';
    const name = singleLine(names.get(evidence.entityId) ?? evidence.entityId);
    lines.push(`${name}: "${singleLine(evidence.phrase)}"${context} in the ${evidence.field}: ${snippet}`);
    if (lines.length === limit) break;
  }
  return lines;
}

/**
 * Email Subject as SNS accepts it: printable ASCII, one line, fewer than 100 characters, starting with '['.
 * `[news-alerts] Christopher Krebs: <title>`, the title shortened with '...' to fit.
 */
export function formatSubject(alert: Alert): string {
  // SNS takes ASCII subjects only: names in another script are named by their ids, a headline by where to read it.
  const label = lostScript(alert.entityNames.join(' '), toAscii)
    ? alert.entities.join(', ')
    : entityLabel(alert, toAscii);
  const prefix = `${SUBJECT_PREFIX}${label ? `${label}: ` : ''}`;
  const title = lostScript(alert.title, toAscii)
    ? '(headline in another script: see below)'
    : titleLine(alert, toAscii);
  return `${prefix}${truncate(title, SUBJECT_MAX_CHARS - prefix.length)}`;
}

/** Whether folding `text` with `clean` keeps fewer than half its letters: it is written in another script. */
function lostScript(text: string, clean: (s: string) => string): boolean {
  const letters = (value: string) => value.match(/\p{L}/gu)?.length ?? 0;
  const before = letters(text);
  return before > 0 && letters(clean(text)) * 2 < before;
}

/**
 * One GSM-7 SMS segment (<= 160 septets, extension characters counted twice): `Krebs: <title> <link>`.
 * The title is shortened to keep the link whole. A link so long that fewer than 20 characters of title would fit is
 * left out rather than cut (a cut link is useless; the email carries it). Alerts the storm guard held back since the
 * previous SMS are counted up front; a follow-up is marked " (follow-up, 17 Nov)" when the whole title still fits.
 */
export function formatSms(alert: Alert): string {
  if (lostScript(`${alert.title} ${alert.entityNames.join(' ')}`, toGsm7)) return formatUnicodeSms(alert);
  const label = entityLabel(alert, toGsm7);
  const held = heldNote(alert);
  const prefix = `${held ? `[${held}] ` : ''}${label ? `${label}: ` : ''}`;
  const link = smsLink(alert.link);
  const title = titleLine(alert, toGsm7);
  const reference = storyReference(alert);
  const followUpTag = reference ? ` (${reference.smsTag})` : '';
  const titleBudget = SMS_MAX_GSM_UNITS - gsm7Length(prefix);
  const fitted = (budget: number) =>
    gsm7Length(title) + gsm7Length(followUpTag) <= budget
      ? `${title}${followUpTag}`
      : truncate(title, budget, gsm7Length);
  if (link !== undefined) {
    const withLinkBudget = titleBudget - gsm7Length(link) - 1;
    if (withLinkBudget >= SMS_MIN_TITLE_CHARS || gsm7Length(title) <= withLinkBudget) {
      return `${prefix}${fitted(withLinkBudget)} ${link}`;
    }
  }
  return `${prefix}${fitted(titleBudget)}`;
}

/**
 * An SMS in UCS-2 for a headline or names in another script, which GSM-7 would empty to "(untitled)": the names and
 * the headline as written, shortened to keep the link whole, in at most two segments.
 */
function formatUnicodeSms(alert: Alert): string {
  const held = heldNote(alert);
  const label = entityLabel(alert, singleLine);
  const prefix = `${held ? `[${held}] ` : ''}${label ? `${label}: ` : ''}`;
  const link = safeLink(alert.link);
  const title = titleLine(alert, singleLine);
  const budget = SMS_MAX_UCS2_CHARS - prefix.length - (link === undefined ? 0 : link.length + 1);
  if (link !== undefined && budget >= SMS_MIN_TITLE_CHARS) return `${prefix}${truncate(title, budget)} ${link}`;
  return `${prefix}${truncate(title, SMS_MAX_UCS2_CHARS - prefix.length)}`;
}

/** The link in GSM-7, or undefined when it is not http(s). Backtick is the one printable ASCII character GSM-7 lacks;
 * percent-encoding it gives an equivalent URL. */
function smsLink(link: string | undefined): string | undefined {
  return safeLink(link)?.replaceAll('`', '%60');
}

/**
 * Plain-text email body (never HTML, so markup in a title stays inert text): title (and the story it follows up),
 * entities, publisher (and other outlets carrying the story), date, link, summary, why it matched, a "Not about
 * <entity>?" link per entity when the stack has a verdict endpoint, and a footer on why the reader got it and how to stop.
 */
export function formatEmail(alert: Alert, verdictLinks: VerdictLink[] = []): string {
  const followUp = followUpLine(alert);
  const lines: string[] = [titleLine(alert, singleLine), ...(followUp ? [followUp] : []), ''];
  lines.push(`Entities: ${alert.entityNames.map(singleLine).join(', ')}`);
  const publisher = alert.publisher ? singleLine(alert.publisher) : '';
  if (publisher) lines.push(`Publisher: ${publisher}`);
  const alsoIn = alsoInLine(alert);
  if (alsoIn) lines.push(alsoIn);
  lines.push(`Published: ${utcDate(alert.publishedAt) ?? 'date not given by the feed'}`);
  const link = safeLink(alert.link);
  if (link) lines.push(`Link: ${link}`);
  const summary = truncate(paragraphs(alert.summary), EMAIL_SUMMARY_MAX_CHARS);
  if (summary) lines.push('', summary);
  const evidence = evidenceLines(alert, EMAIL_MAX_EVIDENCE);
  if (evidence.length > 0) lines.push('', 'Why this matched:', ...evidence.map((line) => `- ${line}`));
  const verdicts = verdictLinks.flatMap((verdict) => {
    const url = safeLink(verdict.url);
    return url ? [`Not about ${singleLine(verdict.entityName)}? ${url}`] : [];
  });
  if (verdicts.length > 0) lines.push('', ...verdicts);
  lines.push(
    '',
    '--',
    `You are receiving this because you subscribed to news-alerts for ${alert.entityNames.map(singleLine).join(', ')}.`,
    `Found in the feed "${singleLine(alert.feed)}" (${singleLine(alert.feedUrl)}).`,
    'To stop these alerts, use the unsubscribe link below this message or ask the owner of the watchlist to remove you.',
  );
  return lines.join('\n');
}

/**
 * Several lines for a terminal: no control characters, so a title cannot move the cursor or recolour the screen. The
 * details name the publisher, the date and the feed; the feed only when it is not the publisher (an item without a
 * `<source>` is published under the feed's own name).
 */
export function formatConsole(alert: Alert): string {
  const publisher = alert.publisher ? singleLine(alert.publisher) : '';
  const feed = singleLine(alert.feed);
  const details = [
    publisher,
    utcDate(alert.publishedAt),
    feed.toLowerCase() === publisher.toLowerCase() ? '' : feed,
  ].filter((part): part is string => Boolean(part));
  const lines = [`[${alert.entityNames.map(singleLine).join(', ')}] ${truncate(titleLine(alert, singleLine), 300)}`];
  for (const line of [followUpLine(alert), alsoInLine(alert)]) if (line) lines.push(`  ${truncate(line, 300)}`);
  lines.push(`  ${details.join(' | ')}`);
  const link = safeLink(alert.link);
  if (link) lines.push(`  ${link}`);
  for (const evidence of evidenceLines(alert, 3)) lines.push(`  why: ${evidence}`);
  return lines.join('\n');
}

/** A digest body stays well under SNS's 256 KiB message limit, whatever the day brought. */
const DIGEST_MAX_BYTES = 200_000;
/** Reports listed per story in a digest; the rest are counted. */
const DIGEST_MAX_SOURCES = 10;
const DAY_MS = 86_400_000;

/** "18 Nov 2020 (UTC)" for a UTC calendar day, else "2020-11-17 07:00 UTC to 2020-11-18 07:00 UTC". */
function periodLabel(period: DigestPeriod): string {
  if (period.from % DAY_MS === 0 && period.to - period.from === DAY_MS) {
    const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    return `${day.format(period.from)} (UTC)`;
  }
  return `${utcDate(period.from)} to ${utcDate(period.to)}`;
}

/** "1 story", "3 stories". */
function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `[news-alerts] Digest for 18 Nov 2020 (UTC): 3 stories`, as an SNS email Subject (ASCII, one line, < 100). */
export function formatDigestSubject(digest: Digest): string {
  const stories = counted(digest.storyCount, 'story', 'stories');
  return truncate(toAscii(`${SUBJECT_PREFIX}Digest for ${periodLabel(digest.period)}: ${stories}`), SUBJECT_MAX_CHARS);
}

/**
 * The digest for an SMS subscriber, who may have no email: each entity's headlines, in up to four segments, then how
 * many stories did not fit.
 */
export function formatDigestSms(digest: Digest): string {
  const head = toGsm7(
    `News alerts digest to ${utcDate(digest.period.to)}: ${counted(digest.storyCount, 'story', 'stories')}.`,
  );
  let text = head;
  let listed = 0;
  for (const group of digest.groups) {
    const titles: string[] = [];
    const name = toGsm7(group.entityShortName ?? group.entityName);
    for (const story of group.stories) {
      const title = truncate(toGsm7(singleLine(story.title)), DIGEST_SMS_TITLE_CHARS, gsm7Length) || '(untitled)';
      const part = `${titles.length > 0 ? ' | ' : `${listed > 0 ? ';' : ''} ${name}: `}${title}`;
      const left = digest.storyCount - listed - 1;
      const more = left > 0 ? ` (+${left} more)` : '';
      const candidate = `${text}${titles.join('')}${part}`;
      if (gsm7Length(candidate) + gsm7Length(more) > DIGEST_SMS_MAX_GSM_UNITS) break;
      titles.push(part);
      listed += 1;
    }
    text += titles.join('');
    if (listed < digest.storyCount && titles.length < group.stories.length) break;
  }
  const left = digest.storyCount - listed;
  return left > 0 ? `${text} (+${left} more)` : text;
}

/** One story of a digest: title, when it started and how widely it ran, then each report with its link. */
function digestStoryLines(story: DigestStory): string[] {
  const about = story.alsoAbout.length > 0 ? `; also about ${story.alsoAbout.map(singleLine).join(', ')}` : '';
  const lines = [
    truncate(singleLine(story.title), TITLE_MAX_CHARS) || '(untitled)',
    `  First seen ${utcDate(story.firstSeenAt)}, ${counted(story.sources.length, 'report', 'reports')}${about}`,
  ];
  for (const source of story.sources.slice(0, DIGEST_MAX_SOURCES)) {
    const publisher = source.publisher ? singleLine(source.publisher) : '';
    const link = safeLink(source.link);
    const name = publisher || truncate(singleLine(source.title), 80);
    lines.push(`  - ${name}${link ? `: ${link}` : ''}`);
  }
  const more = story.sources.length - DIGEST_MAX_SOURCES;
  if (more > 0) lines.push(`  - and ${counted(more, 'more report', 'more reports')}`);
  return lines;
}

/**
 * Plain-text digest email: the period, then each entity's stories with their reports and links, and a footer. Past
 * DIGEST_MAX_BYTES the remaining stories are counted instead of listed.
 */
export function formatDigestEmail(digest: Digest): string {
  const lines = [
    `News alerts digest: ${periodLabel(digest.period)}`,
    `${counted(digest.storyCount, 'story', 'stories')} about ${counted(digest.groups.length, 'tracked entity', 'tracked entities')}.`,
  ];
  let bytes = Buffer.byteLength(lines.join('\n'));
  let listed = 0;
  let full = false;
  for (const group of digest.groups) {
    const heading = singleLine(group.entityName);
    const block = ['', heading, '='.repeat(Math.min(heading.length, 60))];
    for (const story of group.stories) {
      const storyLines = ['', ...digestStoryLines(story)];
      const size = Buffer.byteLength(storyLines.join('\n')) + 1;
      if (full || bytes + size > DIGEST_MAX_BYTES) {
        full = true;
        break;
      }
      block.push(...storyLines);
      bytes += size;
      listed += 1;
    }
    if (block.length > 3) lines.push(...block);
  }
  const left = digest.storyCount - listed;
  if (left > 0) {
    lines.push(
      '',
      `... and ${counted(left, 'more story', 'more stories')}, left out to keep this message within the size limit.`,
    );
  }
  lines.push(
    '',
    '--',
    'You are receiving this daily digest because you subscribed to news-alerts digests.',
    'To stop, use the unsubscribe link below this message or ask the owner of the watchlist to remove you.',
  );
  return lines.join('\n');
}
