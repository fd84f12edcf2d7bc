// A set of tracked entities as one key (sorted ids, comma-joined): a feed's remembered items, SMS windows, digest audiences.

export function entitySetKey(entityIds: readonly string[]): string {
  return [...new Set(entityIds)].sort().join(',');
}
