// A dry run's stories: answers from the stored stories plus those filed in this preview, and writes nothing.
import { addToStory, type StoryHeadline, type StoryRecord, type StoryRef } from '../core/story';
import type { StoryItemWrite } from '../ports';
import type { StoryFilingStore } from './file-on-story';

/**
 * A dry run's stories: reads what is stored, files in memory only, so a preview clusters its own items as a real
 * poll would and writes nothing. A stored story joined in the preview is known only by its band row.
 */
export class PreviewStoryStore implements StoryFilingStore {
  private readonly bands = new Map<string, StoryRef>();
  private readonly stories = new Map<string, StoryRecord>();
  private readonly started: StoryHeadline[] = [];

  constructor(private readonly stored: StoryFilingStore) {}

  async findStoryRefs(bandKeys: string[]): Promise<StoryRef[]> {
    const previewed = bandKeys.flatMap((key) => this.bands.get(key) ?? []);
    return [...(await this.stored.findStoryRefs(bandKeys)), ...previewed];
  }

  async saveStoryItem(write: StoryItemWrite): Promise<StoryRecord> {
    let story: StoryRecord;
    if (write.kind === 'start') {
      story = this.stories.get(write.story.id) ?? write.story;
      this.started.push({ id: story.id, title: story.title, entities: story.entities, firstSeenAt: story.firstSeenAt });
    } else {
      const { ref } = write;
      const known = this.stories.get(write.storyId) ?? {
        id: write.storyId,
        title: ref.storyTitle ?? write.storyId,
        entities: [],
        firstSeenAt: ref.seenAt,
        lastSeenAt: ref.seenAt,
        signature: ref.origin,
        sources: [],
      };
      story = addToStory(known, write.source, write.entities);
    }
    this.stories.set(story.id, story);
    for (const key of write.bandKeys) this.bands.set(key, write.ref);
    return story;
  }

  async recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]> {
    const previewed = this.started.filter(
      (h) => h.entities.includes(entityId) && h.firstSeenAt >= since && h.firstSeenAt <= until,
    );
    return [...(await this.stored.recentHeadlines(entityId, since, until, limit)), ...previewed]
      .sort((a, b) => b.firstSeenAt - a.firstSeenAt)
      .slice(0, limit);
  }
}
