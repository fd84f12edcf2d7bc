// Verdicts ("not about this entity") by entity, with the share of alerts marked wrong and a suggested exclude; pure.

import { foldPhrase } from './text-fold';
import type { Entity } from './types';

/** How long a verdict is kept (the state table's TTL; the local state forgets it then too). */
export const VERDICT_TTL_MS = 365 * 24 * 3_600_000;

/** A reader's verdict, recorded from an alert's link: alert `alertId` was not about entity `entityId`. */
export interface Verdict {
  entityId: string;
  alertId: string;
  /** ms since the epoch. */
  recordedAt: number;
}

/**
 * Queued verdicts oldest first (ties by alert id), each with its alert's words when the state still holds them: the
 * order and form every store hands pending verdicts to the poll in.
 */
export function withAlertTexts(
  verdicts: Verdict[],
  texts: ReadonlyMap<string, string>,
): (Verdict & { text?: string })[] {
  return verdicts
    .sort((a, b) => a.recordedAt - b.recordedAt || (a.alertId < b.alertId ? -1 : 1))
    .map((verdict) => {
      const text = texts.get(verdict.alertId);
      return text === undefined ? verdict : { ...verdict, text };
    });
}

/** An alert the state still knows: its id, headline and the entities it alerted for (or those of its story). */
export interface KnownAlert {
  alertId: string;
  title: string;
  entities: string[];
  /** Its title and the start of its summary (core itemTopicText); absent for alerts kept before it was. */
  text?: string;
}

export interface EntityFeedback {
  entityId: string;
  entityName: string;
  /** Newest first; `title` is absent when the state no longer holds the alert (items are kept 90 days). */
  verdicts: { alertId: string; recordedAt: number; title?: string }[];
  /** Alerts of this entity the state still holds, the wrong ones included. */
  alerts: number;
  /** Verdicts on alerts the state holds, over `alerts`; absent when it holds none. */
  wrongShare?: number;
  /** An exclude phrase for the watchlist, by the rule of `suggestExclude`; absent when no phrase qualifies. */
  suggestedExclude?: { phrase: string; wrongAlerts: number };
  /** A context phrase to drop, by the rule of `suggestContextDrop`; absent when none qualifies. */
  suggestedContextDrop?: ContextDrop;
}

/** A context phrase found in most wrong alerts of an entity and few right ones: how many of each hold it. */
export interface ContextDrop {
  phrase: string;
  wrongAlerts: number;
  rightAlerts: number;
}

/** At most this share of an entity's right alerts may hold a context phrase suggested for dropping. */
const CONTEXT_DROP_RIGHT_SHARE = 0.2;

/** The folded words of a title (as the matcher folds text: case, diacritics, quotes, dashes). */
function words(title: string): string[] {
  return foldPhrase(title)
    .split(/[^\p{L}\p{N}']+/u)
    .filter((word) => word.length > 0);
}

function bigrams(title: string): Set<string> {
  const list = words(title);
  const found = new Set<string>();
  for (let i = 0; i + 1 < list.length; i++) found.add(`${list[i]} ${list[i + 1]}`);
  return found;
}

/**
 * The rule, kept simple: among pairs of adjacent words (bigrams) in the titles of the wrong alerts, the one found in
 * the most of them (at least two), that holds a word of one of the entity's own names (an exclude only silences a hit
 * that falls inside it) and that no other alert of the entity has in its title. Ties go to the alphabetically first.
 */
export function suggestExclude(
  entity: Pick<Entity, 'aliases' | 'ambiguous' | 'name'>,
  wrongTitles: string[],
  otherTitles: string[],
): { phrase: string; wrongAlerts: number } | undefined {
  const nameWords = new Set([entity.name, ...entity.aliases, ...entity.ambiguous].flatMap(words));
  // An exclude equal to an alias or ambiguous term would make the watchlist invalid (it could never match).
  const names = new Set([...entity.aliases, ...entity.ambiguous].map((phrase) => words(phrase).join(' ')));
  const elsewhere = new Set(otherTitles.flatMap((title) => [...bigrams(title)]));
  const counts = new Map<string, number>();
  for (const title of wrongTitles) {
    for (const bigram of bigrams(title)) {
      if (elsewhere.has(bigram) || names.has(bigram) || !bigram.split(' ').some((word) => nameWords.has(word)))
        continue;
      counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
    }
  }
  let best: { phrase: string; wrongAlerts: number } | undefined;
  for (const [phrase, count] of counts) {
    if (count < 2) continue;
    if (!best || count > best.wrongAlerts || (count === best.wrongAlerts && phrase < best.phrase)) {
      best = { phrase, wrongAlerts: count };
    }
  }
  return best;
}

/** ` word word ` for whole-word containment, folded as the matcher folds text. */
function spaced(text: string): string {
  return ` ${words(text).join(' ')} `;
}

/**
 * The rule for a context phrase to drop: one of the entity's context phrases found (whole words, folded) in the text
 * of at least two wrong alerts and more than half of them, and in at most a fifth of its right alerts (so none while
 * it has fewer than five): a context phrase that lets look-alikes in and rarely lets the entity in. The most wrong
 * alerts first, then the fewest right ones, then the alphabetically first.
 */
export function suggestContextDrop(
  entity: Pick<Entity, 'context'>,
  wrongTexts: string[],
  rightTexts: string[],
): ContextDrop | undefined {
  const wrong = wrongTexts.map(spaced);
  const right = rightTexts.map(spaced);
  const allowedRight = Math.floor(right.length * CONTEXT_DROP_RIGHT_SHARE);
  // The watchlist needs a context phrase beside ambiguous terms: the last one is never suggested.
  if (entity.context.length < 2) return undefined;
  let best: ContextDrop | undefined;
  for (const phrase of entity.context) {
    const needle = spaced(phrase);
    if (needle.trim() === '') continue;
    const wrongAlerts = wrong.filter((text) => text.includes(needle)).length;
    const rightAlerts = right.filter((text) => text.includes(needle)).length;
    if (wrongAlerts < 2 || wrongAlerts * 2 <= wrong.length || rightAlerts > allowedRight) continue;
    const better =
      !best ||
      wrongAlerts > best.wrongAlerts ||
      (wrongAlerts === best.wrongAlerts && rightAlerts < best.rightAlerts) ||
      (wrongAlerts === best.wrongAlerts && rightAlerts === best.rightAlerts && phrase < best.phrase);
    if (better) best = { phrase, wrongAlerts, rightAlerts };
  }
  return best;
}

/** Feedback for each entity with at least one verdict, in watchlist order (then entities no longer tracked). */
export function summarizeFeedback(verdicts: Verdict[], alerts: KnownAlert[], entities: Entity[]): EntityFeedback[] {
  const titles = new Map(alerts.map((alert) => [alert.alertId, alert.title]));
  const byEntity = new Map<string, Verdict[]>();
  for (const verdict of verdicts) byEntity.set(verdict.entityId, [...(byEntity.get(verdict.entityId) ?? []), verdict]);
  const order = [
    ...entities.map((entity) => entity.id).filter((id) => byEntity.has(id)),
    ...[...byEntity.keys()].filter((id) => !entities.some((entity) => entity.id === id)).sort(),
  ];
  return order.map((entityId) => {
    const entity = entities.find((candidate) => candidate.id === entityId);
    const wrong = new Set(byEntity.get(entityId)!.map((verdict) => verdict.alertId));
    const own = alerts.filter((alert) => alert.entities.includes(entityId) || wrong.has(alert.alertId));
    const wrongAlerts = own.filter((alert) => wrong.has(alert.alertId));
    const rightAlerts = own.filter((alert) => !wrong.has(alert.alertId));
    const wrongTitles = wrongAlerts.map((alert) => alert.title);
    const suggestion =
      entity &&
      suggestExclude(
        entity,
        wrongTitles,
        rightAlerts.map((alert) => alert.title),
      );
    const textOf = (alert: KnownAlert) => alert.text ?? alert.title;
    const drop = entity && suggestContextDrop(entity, wrongAlerts.map(textOf), rightAlerts.map(textOf));
    return {
      entityId,
      entityName: entity?.name ?? entityId,
      verdicts: byEntity
        .get(entityId)!
        .sort((a, b) => b.recordedAt - a.recordedAt || (a.alertId < b.alertId ? -1 : 1))
        .map((verdict) => {
          const title = titles.get(verdict.alertId);
          return { alertId: verdict.alertId, recordedAt: verdict.recordedAt, ...(title !== undefined && { title }) };
        }),
      alerts: own.length,
      ...(own.length > 0 && { wrongShare: wrongTitles.length / own.length }),
      ...(suggestion && { suggestedExclude: suggestion }),
      ...(drop && { suggestedContextDrop: drop }),
    };
  });
}
