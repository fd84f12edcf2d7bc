// DocumentReader on the calling thread: reads a document through the core and times the reading.
import { readDocument } from '../core/read-document';
import type { DocumentReader } from '../ports';

/** Reads on the calling thread: the Lambda's choice (one vCPU) and the local command's for small watchlists. */
export const inlineDocumentReader: DocumentReader = {
  async read(body, contentType, feed) {
    const start = performance.now();
    const items = await readDocument(body, contentType, feed);
    return { items, ms: performance.now() - start };
  },
};
