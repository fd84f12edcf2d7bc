// The state file's lock: one poll at a time; a run that finds the lock held waits, then gives up with a clear error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StateFileError } from '../../lambda/adapters/file-state-store';
import { lockStateFile } from '../../lambda/adapters/state-file-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'news-alerts-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockStateFile', () => {
  it('lets a second run in once the first has released the lock', async () => {
    const file = path.join(dir, 'state.json');
    const release = await lockStateFile(file);
    const waiting = lockStateFile(file, { waitMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await release();
    const second = await waiting;
    await second();
  });

  it('gives up after its wait with an error naming the file, the lock and what to do', async () => {
    const file = path.join(dir, 'state.json');
    const release = await lockStateFile(file);
    const refused = lockStateFile(file, { waitMs: 1_000 });
    await expect(refused).rejects.toThrow(StateFileError);
    await expect(refused).rejects.toThrow(/state\.json: another poll .*state\.json\.lock.*one poll at a time/);
    await release();
  });
});
