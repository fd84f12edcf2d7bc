// PollPorts for tests that drive the real pipeline: the poll Lambda's reader unless a test passes its own.
import { inlineDocumentReader } from '../../lambda/adapters/inline-document-reader';
import type { PollPorts } from '../../lambda/pipeline';

export function pollPorts(ports: Omit<PollPorts, 'reader'> & Partial<Pick<PollPorts, 'reader'>>): PollPorts {
  return { reader: inlineDocumentReader, ...ports };
}
