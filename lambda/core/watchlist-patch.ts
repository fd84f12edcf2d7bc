// Suggested watchlist edits as a unified diff of the user's own file, its comments and layout kept: `git apply`-able.
import { createTwoFilesPatch } from 'diff';
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { foldPhrase } from './text-fold';

/** One entity's suggested edits: a phrase to add to `excludes`, a phrase to remove from `context`. */
export interface WatchlistEdit {
  entityId: string;
  addExclude?: string;
  dropContext?: string;
}

/**
 * The edits as a unified diff of `text` (the watchlist file, named `fileName` in the diff's a/ and b/ headers), or
 * undefined when they change nothing (the exclude is there already, the phrase to drop is gone, the entity is not in
 * the file). The file is edited through its YAML syntax tree, so everything else in it stays byte for byte.
 */
export function watchlistPatch(text: string, fileName: string, edits: WatchlistEdit[]): string | undefined {
  const document = parseDocument(text);
  const entities = document.get('entities', true);
  if (!isSeq(entities)) return undefined;
  for (const edit of edits) {
    const entity = entities.items.find(
      (node): node is YAMLMap => isMap(node) && String(node.get('id')) === edit.entityId,
    );
    if (!entity) continue;
    if (edit.addExclude !== undefined) addPhrase(document, entity, 'excludes', edit.addExclude);
    if (edit.dropContext !== undefined) dropPhrase(entity, 'context', edit.dropContext);
  }
  // As the file writes them: flow lists padded (`[ a, b ]`) or not, long lines never folded.
  const edited = document.toString({ flowCollectionPadding: /\[ [^\s\]]/.test(text), lineWidth: 0 });
  if (edited === text) return undefined;
  return createTwoFilesPatch(`a/${fileName}`, `b/${fileName}`, text, edited, undefined, undefined, {
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
}

const same = (a: unknown, b: string) => foldPhrase(String(a)) === foldPhrase(b);

function addPhrase(document: Document, entity: YAMLMap, key: string, phrase: string): void {
  const list = entity.get(key, true);
  if (isSeq(list)) {
    if (!list.items.some((node) => isScalar(node) && same(node.value, phrase))) list.add(phrase);
    return;
  }
  // No list yet (or an empty `excludes:`): a new one, in the style of the entity's other lists.
  const flow = entity.items.some((pair) => isSeq(pair.value) && pair.value.flow === true);
  entity.set(key, document.createNode([phrase], { flow }));
}

function dropPhrase(entity: YAMLMap, key: string, phrase: string): void {
  const list = entity.get(key, true);
  if (!isSeq(list)) return;
  const index = list.items.findIndex((node) => isScalar(node) && same(node.value, phrase));
  if (index >= 0) list.items.splice(index, 1);
}
