// The state file's snapshot as the file store checks it on load: loose, so fields a later version adds survive.
import { z } from 'zod';
import { feedStateSchema } from '../contract/feed-state';

const optionalNumber = z.number().optional();
const optionalString = z.string().optional();
const strings = z.array(z.string());
const signatureSchema = z.looseObject({ title: strings, terms: strings });
const headlineFields = { id: z.string(), title: z.string(), entities: strings, firstSeenAt: z.number() };
/** One side of a topic profile: how many items taught it, and each term's count. */
const topicSide = z.looseObject({ docs: z.number(), terms: z.record(z.string(), z.number()) });
const expiresAt = z.number();

// Story rows (docs/stories.md), absent from files written before stories existed.
const storiesSchema = z.looseObject({
  bands: z.record(z.string(), z.string()),
  bandRefs: z.record(
    z.string(),
    z.looseObject({
      storyId: z.string(),
      storyTitle: optionalString,
      entities: strings,
      signature: signatureSchema,
      origin: signatureSchema,
      seenAt: z.number(),
      expiresAt,
    }),
  ),
  nextBandRef: z.number(),
  records: z.record(
    z.string(),
    z.looseObject({
      ...headlineFields,
      signature: signatureSchema,
      lastSeenAt: z.number(),
      sources: z.array(
        z.looseObject({ publisher: optionalString, link: optionalString, title: z.string(), seenAt: z.number() }),
      ),
      expiresAt,
    }),
  ),
  headlines: z.record(z.string(), z.record(z.string(), z.looseObject({ ...headlineFields, expiresAt }))),
  // Files written before the sliding window have per-hour counts (smsHours) instead: the loose object keeps them, unused.
  smsSent: z.array(z.number()).optional(),
  smsHeld: z.looseObject({ count: z.number(), since: z.number(), expiresAt }).optional(),
  smsScopes: z
    .record(
      z.string(),
      z.looseObject({
        sent: z.array(z.number()),
        held: z.looseObject({ count: z.number(), since: z.number(), expiresAt }).optional(),
      }),
    )
    .optional(),
});

// Loose objects keep fields this version does not know, so an older CLI does not drop a newer one's state.
export const snapshotSchema = z.looseObject({
  version: z.literal(1),
  feeds: z.array(feedStateSchema()),
  items: z.record(
    z.string(),
    z.looseObject({
      status: z.enum(['claimed', 'sent', 'recorded']),
      feedUrl: z.string(),
      title: z.string(),
      aliasKeys: z.array(z.string()),
      leaseUntil: optionalNumber,
      sentAt: optionalNumber,
      alertId: optionalString,
      storyId: optionalString,
      alerted: z.looseObject({ entities: strings, text: z.string() }).optional(),
      expiresAt: z.number(),
    }),
  ),
  aliases: z.record(z.string(), z.string()),
  stories: storiesSchema.optional(),
  termCounts: z.looseObject({ docs: z.number(), df: z.record(z.string(), z.number()) }).optional(),
  // Learned topic profiles (docs/matching.md), absent from files written before them.
  topics: z
    .record(
      z.string(),
      z.looseObject({
        entityId: z.string(),
        updatedAt: z.number(),
        seen: strings,
        about: topicSide,
        other: topicSide,
        refused: topicSide.optional(),
        verdicts: strings.optional(),
      }),
    )
    .optional(),
  verdicts: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.looseObject({ recordedAt: z.number(), expiresAt: z.number(), pending: z.boolean().optional() }),
      ),
    )
    .optional(),
});
