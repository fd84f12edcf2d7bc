// Serves the bundled sample feeds on 127.0.0.1 for `news-alerts demo`, dated relative to now, with conditional GET.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FeedConfig } from '../../core/types';

export interface DemoFeed {
  file: string;
  name: string;
  contentType: string;
  /** Answer If-None-Match with 304, as well-behaved servers do (the others are fetched whole every time). */
  etag: boolean;
}

export const DEMO_FEEDS: DemoFeed[] = [
  {
    file: 'bbc-us-canada.rss',
    name: 'BBC News - US & Canada (sample RSS)',
    contentType: 'application/rss+xml; charset=utf-8',
    etag: true,
  },
  {
    file: 'election-security.atom',
    name: 'Election Security Desk (sample Atom)',
    contentType: 'application/atom+xml; charset=utf-8',
    etag: false,
  },
  {
    file: 'google-news-krebs.rss',
    name: 'Google News: "Krebs" (sample)',
    contentType: 'application/rss+xml; charset=utf-8',
    etag: false,
  },
];

const FEEDS_DIR = path.join(__dirname, 'feeds');
const HOUR_MS = 3_600_000;

/** Replaces `{{rfc822 -3h}}` / `{{iso -2d}}` with that long before `now`, so the backfill window works any day. */
export function renderFeed(template: string, now: number): string {
  return template.replace(/\{\{(rfc822|iso) -(\d+)([hd])\}\}/g, (_, format: string, amount: string, unit: string) => {
    const date = new Date(now - Number(amount) * (unit === 'd' ? 24 : 1) * HOUR_MS);
    return format === 'iso' ? date.toISOString() : date.toUTCString();
  });
}

export class DemoFeedServer {
  private constructor(
    private readonly server: Server,
    readonly feeds: FeedConfig[],
  ) {}

  /** Renders every sample feed once (so both polls see the same documents) and listens on a free loopback port. */
  static async start(now: number): Promise<DemoFeedServer> {
    const documents = new Map(
      DEMO_FEEDS.map((feed) => {
        const body = renderFeed(readFileSync(path.join(FEEDS_DIR, feed.file), 'utf8'), now);
        const etag = feed.etag ? `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` : undefined;
        return [`/${feed.file}`, { body, etag, contentType: feed.contentType }];
      }),
    );
    const server = createServer((request, response) => {
      const document = documents.get(request.url ?? '');
      if (document === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such sample feed');
        return;
      }
      const validators = document.etag ? { etag: document.etag } : {};
      if (document.etag && request.headers['if-none-match'] === document.etag) {
        response.writeHead(304, validators).end();
        return;
      }
      response.writeHead(200, { 'content-type': document.contentType, ...validators }).end(document.body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const feeds = DEMO_FEEDS.map((feed) => ({ url: `http://127.0.0.1:${port}/${feed.file}`, name: feed.name }));
    return new DemoFeedServer(server, feeds);
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
