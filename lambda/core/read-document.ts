// A fetched document to normalized items: parse (RSS or Atom) then normalize each item against the document's URL.
import type { DocumentReader } from '../ports';
import { normalizeItem } from './normalize';
import { parseFeed } from './parse';
import type { NormalizedItem } from './types';

/** `feed.url` is where the document was found (after redirects): relative links resolve against it. */
export async function readDocument(
  body: Uint8Array,
  contentType: string | undefined,
  feed: { name: string; url: string },
): Promise<NormalizedItem[]> {
  const parsed = await parseFeed(body, contentType);
  return parsed.items.map((raw) => normalizeItem(raw, feed));
}

/** Reads on the calling thread: the Lambda's choice (one vCPU) and the local command's for small watchlists. */
export const inlineDocumentReader: DocumentReader = {
  async read(body, contentType, feed) {
    const start = performance.now();
    const items = await readDocument(body, contentType, feed);
    return { items, ms: performance.now() - start };
  },
};
