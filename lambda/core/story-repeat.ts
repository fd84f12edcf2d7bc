// Whether a headline seen before is a recurring title's next release, not a copy: an outlet's repeat, a new lead.

import { eventTerms, type StoryContext, sameEventHeadline, total, weighed } from './story-context';
import { SAME_ACT_NOVELTY } from './story-evidence';
import type { StorySignature } from './story-terms';
import { storyTerms } from './story-words';

/** An outlet's own headline again this long after (ms) is its report of the next event, not a repost (6 hours). */
export const OUTLET_REPEAT_MS = 6 * 3_600_000;

/**
 * Whether `item` is the same outlet's headline again, under a link of its own `apartMs` after `member`: its next report
 * of a recurring event ("CISA Adds One Known Exploited Vulnerability to Catalog", twice a week on Google News), as
 * outlets do not repost a story of theirs under a new link.
 */
export function outletRepeat(
  item: StorySignature,
  member: StorySignature,
  context: StoryContext,
  apartMs: number,
): boolean {
  const sameOutlet = item.outlet !== undefined && item.outlet === member.outlet;
  return sameOutlet && apartMs >= OUTLET_REPEAT_MS && sameEventHeadline(item, member, context);
}

/** Whether a signature's summary tells nothing but its headline and its outlet (a Google News copy, or none). */
function toldNoLead(sig: StorySignature): boolean {
  const outlet = new Set(storyTerms(sig.outlet ?? ''));
  return sig.terms.every((term) => sig.title.includes(term) || outlet.has(term));
}

/**
 * Whether `item` is the next installment of a recurring title: the same headline as `earlier`, `apartMs` after it,
 * a copy that told no lead, whose own lead tells rare news the story never told: "Gabriel Sterling gives update on
 * Georgia election" on Google News one day, the next day's update over its summary. A copy within hours still joins;
 * after a copy with a lead, joinEvidence compares the two leads.
 */
export function titleRecurs(
  item: StorySignature,
  earlier: StorySignature,
  /** What the story told: read only for a headline that recurs (it is built per candidate). */
  storyTold: () => ReadonlySet<string>,
  context: StoryContext,
  apartMs: number,
): boolean {
  if (apartMs < OUTLET_REPEAT_MS || !sameEventHeadline(item, earlier, context) || !toldNoLead(earlier)) return false;
  const told = storyTold();
  const lead = eventTerms(
    item.terms.filter((term) => !item.title.includes(term) && !told.has(term)),
    context,
  );
  return total(weighed(lead, context)) >= SAME_ACT_NOVELTY;
}
