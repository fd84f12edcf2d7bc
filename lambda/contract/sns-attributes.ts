// SNS message attributes the publishers set and the subscriptions' filter policies match on: one list for both sides.

/** Message attribute (String.Array of entity ids) that an alert carries and entity-choosing subscriptions filter on. */
export const ENTITY_ATTRIBUTE = 'entity';

/**
 * Message attribute (plain String, which every SNS filter engine matches) that SMS subscriptions filter on: an alert
 * the storm guard held back carries `sms-held` and reaches email subscribers only.
 */
export const CHANNEL_ATTRIBUTE = 'channel';
export const CHANNEL = { all: 'all', smsHeld: 'sms-held' } as const;

/**
 * Message attribute (plain String) saying what an alert is: a `story` alert, or a `same-story` one that brings a
 * story already alerted to the followers of an entity it newly names. A subscriber of every entity had the story
 * already, so its subscription takes `story` alerts only.
 */
export const KIND_ATTRIBUTE = 'kind';
export const ALERT_KIND = { story: 'story', sameStory: 'same-story' } as const;

/** Message attribute (plain String) that each digest subscription's filter policy names its audience on. */
export const AUDIENCE_ATTRIBUTE = 'audience';
