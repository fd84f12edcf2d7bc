// Builds realistic Alert values for formatter and sink tests; override any field per test.
import type { Alert } from '../../lambda/core/types';

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-0001',
    itemKey: 'guid:https://example.test/feed#krebs-fired',
    entities: ['krebs', 'cisa'],
    entityNames: ['Christopher Krebs', 'CISA'],
    title: 'Trump fires Christopher Krebs, head of election security agency CISA',
    link: 'https://news.example.test/2020/11/18/krebs-fired',
    summary: 'The president fired the director of the Cybersecurity and Infrastructure Security Agency on Twitter.',
    publisher: 'Example News',
    publishedAt: Date.UTC(2020, 10, 18, 1, 23, 45),
    feed: 'Example News - Politics',
    feedUrl: 'https://news.example.test/politics.rss',
    evidence: [
      {
        entityId: 'krebs',
        phrase: 'Christopher Krebs',
        kind: 'alias',
        field: 'title',
        start: 11,
        end: 28,
        snippet: 'Trump fires Christopher Krebs, head of election security agency CISA',
      },
      {
        entityId: 'cisa',
        phrase: 'CISA',
        kind: 'alias',
        field: 'title',
        start: 64,
        end: 68,
        snippet: 'Trump fires Christopher Krebs, head of election security agency CISA',
      },
    ],
    ...overrides,
  };
}
