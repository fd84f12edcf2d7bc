// Where the workspace's shared material (feed corpus, seed story) lives: beside the project, or NEWS_ALERTS_SHARED_DIR.
import * as fs from 'node:fs';
import * as path from 'node:path';

function resolveSharedDir(): string {
  const dir = process.env.NEWS_ALERTS_SHARED_DIR ?? path.resolve(__dirname, '../../../shared');
  if (!fs.existsSync(dir)) {
    throw new Error(`shared test material not found at ${dir}: clone beside ../shared or set NEWS_ALERTS_SHARED_DIR`);
  }
  return dir;
}

export const SHARED_DIR = resolveSharedDir();
