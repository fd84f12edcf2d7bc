// The DynamoDB state table's story rows (docs/stories.md): filing an item on its story, and the headline queries.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  addToStory,
  DIGEST_LOOKBACK_MS,
  FOLLOW_UP_HORIZON_MS,
  MAX_STORY_SOURCES,
  recordedIn,
  STORY_WINDOW_MS,
  type StoryHeadline,
  type StoryRecord,
} from '../core/story';
import { withoutUndefined } from '../core/without-undefined';
import type { StoryItemWrite } from '../ports';
import {
  BAND_SK,
  headlineFromRow,
  headlinePk,
  headlineSk,
  isoTime,
  STORY_SK,
  storyFromRow,
  storyPk,
  storyRow,
} from './dynamo-rows';
import {
  CONDITIONAL_WRITE_ATTEMPTS,
  type DynamoTable,
  epochSeconds,
  queryRows,
  unlessConditionFails,
} from './dynamo-table';

export class DynamoStoryRows {
  constructor(private readonly table: DynamoTable) {}

  async saveStoryItem(write: StoryItemWrite): Promise<StoryRecord | undefined> {
    const story = write.kind === 'start' ? await this.startStory(write.story) : await this.joinStory(write);
    if (story === undefined) return undefined;
    const band = { ...write.ref, sk: BAND_SK, expiresAt: epochSeconds(write.ref.seenAt + STORY_WINDOW_MS) };
    const rows: object[] = [...new Set(write.bandKeys)].map((pk) => ({ ...band, pk }));
    // Headline rows: one per entity when a story starts, one per entity a join is the first to name.
    const { id, title, entities, firstSeenAt } = write.kind === 'start' ? write.story : story;
    const expiresAt = epochSeconds(firstSeenAt + FOLLOW_UP_HORIZON_MS);
    for (const entityId of write.kind === 'start' ? entities : (write.addedEntities ?? [])) {
      rows.push({
        pk: headlinePk(entityId),
        sk: headlineSk(firstSeenAt, id),
        id,
        title,
        entities,
        firstSeenAt,
        expiresAt,
      });
    }
    await this.table.writeRows(rows);
    return story;
  }

  async recentHeadlines(entityId: string, since: number, until: number, limit: number): Promise<StoryHeadline[]> {
    if (limit <= 0) return [];
    const { Items } = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': headlinePk(entityId),
          ':from': isoTime(since),
          ':to': `${isoTime(until)}~`,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(headlineFromRow);
  }

  async storiesBetween(entityIds: string[], from: number, to: number): Promise<StoryRecord[]> {
    if (to <= from) return [];
    const ids = new Set<string>();
    for (const entityId of new Set(entityIds)) {
      const rows = await queryRows(this.table.documents, {
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': headlinePk(entityId),
          ':from': isoTime(from - DIGEST_LOOKBACK_MS),
          // The sort key is '<ISO>#<id>': '~' sorts after '#', so the last millisecond before `to` is included.
          ':to': `${isoTime(to - 1)}~`,
        },
        ProjectionExpression: 'id',
      });
      for (const row of rows) ids.add(String(row.id));
    }
    const rows = await this.table.readRows(
      [...ids].map((id) => ({ pk: storyPk(id), sk: STORY_SK })),
      false,
    );
    return rows
      .map(storyFromRow)
      .filter((story) => recordedIn(story, from, to))
      .sort((a, b) => a.firstSeenAt - b.firstSeenAt || (a.id < b.id ? -1 : 1));
  }

  /**
   * The story's first alert is out. Bumps the version, so a join's read-modify-write begun before it writes again and
   * keeps the flag; a story gone (expired) or marked already is left as it is.
   */
  async markAlerted(storyId: string): Promise<void> {
    await unlessConditionFails(
      this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: storyPk(storyId), sk: STORY_SK },
          UpdateExpression: 'SET alerted = :true ADD #version :one',
          ConditionExpression: 'alerted = :false',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':true': true, ':false': false, ':one': 1 },
        }),
      ),
    );
  }

  /** Writes a new story row; a story that exists already (a retried item) is left as it is and returned. */
  private async startStory(story: StoryRecord): Promise<StoryRecord> {
    const written = await unlessConditionFails(
      this.table.documents.send(
        new PutCommand({
          TableName: this.table.name,
          Item: storyRow(story, 0),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written ? story : ((await this.readStory(story.id))?.story ?? story);
  }

  /**
   * Adds the item's source to its story. The common case (room for a source, a new link, time moving forward) is one
   * UpdateItem; any other case reads the story and writes what core addToStory makes of it, guarded by the version.
   */
  private async joinStory(write: Extract<StoryItemWrite, { kind: 'join' }>): Promise<StoryRecord | undefined> {
    const { source } = write;
    const link = source.link;
    const updated = await unlessConditionFails(
      this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: storyPk(write.storyId), sk: STORY_SK },
          UpdateExpression:
            'SET #sources = list_append(#sources, :source), #lastSeenAt = :at, expiresAt = :expiresAt ' +
            `ADD #entities :entities, #version :one${link === undefined ? '' : ', #links :links'}`,
          ConditionExpression:
            'attribute_exists(pk) AND #lastSeenAt <= :at AND size(#sources) < :max' +
            (link === undefined ? '' : ' AND NOT contains(#links, :link)'),
          ExpressionAttributeNames: {
            '#sources': 'sources',
            '#lastSeenAt': 'lastSeenAt',
            '#entities': 'entities',
            '#version': 'version',
            ...(link === undefined ? {} : { '#links': 'links' }),
          },
          ExpressionAttributeValues: {
            ':source': [withoutUndefined(source)],
            ':at': source.seenAt,
            ':expiresAt': epochSeconds(source.seenAt + FOLLOW_UP_HORIZON_MS),
            ':entities': new Set(write.entities),
            ':one': 1,
            ':max': MAX_STORY_SOURCES,
            ...(link === undefined ? {} : { ':links': new Set([link]), ':link': link }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (updated) return updated.Attributes ? storyFromRow(updated.Attributes) : undefined;
    for (let attempt = 1; attempt <= CONDITIONAL_WRITE_ATTEMPTS; attempt++) {
      const current = await this.readStory(write.storyId);
      if (current === undefined) return undefined;
      const story = addToStory(current.story, source, write.entities);
      const written = await unlessConditionFails(
        this.table.documents.send(
          new PutCommand({
            TableName: this.table.name,
            Item: storyRow(story, current.version + 1),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': current.version },
          }),
        ),
      );
      if (written) return story;
    }
    throw new Error(`story ${write.storyId} kept changing; gave up after ${CONDITIONAL_WRITE_ATTEMPTS} attempts`);
  }

  private async readStory(id: string): Promise<{ story: StoryRecord; version: number } | undefined> {
    const { Item } = await this.table.documents.send(
      new GetCommand({ TableName: this.table.name, Key: { pk: storyPk(id), sk: STORY_SK }, ConsistentRead: true }),
    );
    return Item ? { story: storyFromRow(Item), version: Number(Item.version ?? 0) } : undefined;
  }
}
