// The use case, split by job: poll one feed, find its alerts, file each on a story, publish; poll many; the dry run.
export { type FeedSkip, feedSkip, isDue } from '../core/feed-schedule';
export { fileOnStory, type StoryFiling, type StoryFilingStore, type StoryItem } from './file-on-story';
export { alertIdFor } from './find-alerts';
export { type FeedPoller, feedPoller, pollFeed } from './poll-feed';
export { DEFAULT_CONCURRENCY, pollFeeds } from './poll-feeds';
export {
  DEFAULT_LEASE_MS,
  DEFAULT_SMS_PER_HOUR,
  type FeedOutcome,
  type FeedStatus,
  type PollOptions,
  type PollPorts,
  type StoryJoin,
} from './types';
