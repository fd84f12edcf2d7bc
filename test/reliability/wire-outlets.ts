// Two outlets running one wire report on the deployed path's feed server: outlet A first, outlet C a little after.
import { conditionalFeed } from '../support/feed-server';
import { type LocalServices, MINUTE, T0 } from './deployed-rig';
import { rssDocument } from './harness';

export const WIRE_HEADLINE = 'Trump fires Christopher Krebs, director of CISA, by tweet';
export const WIRE_SUMMARY = 'The president fired the director of the Cybersecurity and Infrastructure Security Agency.';

/** `services` is read when a feed is served: the local services start after the test file is loaded. */
export function wireOutlets(services: LocalServices) {
  /** Outlet A's feed at `path`: the wire report, published 20 minutes before T0. */
  const serveA = (path: string, title = WIRE_HEADLINE, description = WIRE_SUMMARY) => {
    const item = { guid: 'outlet-a-4411', title, link: 'https://outlet-a.example/politics/krebs-fired', description };
    const { server } = services;
    server.route(path, conditionalFeed(rssDocument([{ ...item, publishedAt: T0 - 20 * MINUTE }]), { etag: '"a1"' }));
    return { url: server.url(path), name: 'Outlet A' };
  };
  /** Outlet C's feed at `path`: its copy, published 10 minutes before T0, answered `delayMs` late. */
  const serveC = (path: string, description: string, delayMs = 300, title = WIRE_HEADLINE) => {
    const item = {
      guid: 'outlet-c-90210',
      title,
      link: 'https://outlet-c.example/2024/11/05/krebs-fired',
      description,
    };
    const document = conditionalFeed(rssDocument([{ ...item, publishedAt: T0 - 10 * MINUTE }]), { etag: '"c1"' });
    const { server } = services;
    server.route(path, async (request) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs)); // answers a little after outlet A
      return document(request);
    });
    return { url: server.url(path), name: 'Outlet C' };
  };
  return { serveA, serveC };
}
