/**
 * Replace a file's content atomically and durably: write a temp file in the same directory,
 * fsync it, rename it over the target, then fsync the directory. Readers see the old file or the
 * new one, never half of either, and once the promise resolves the new content survives a crash.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OrgsyncError, messageOf } from '../errors.js';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new OrgsyncError('write-failed', `${path}: cannot write: ${messageOf(error)}`, { cause: error });
  }
  await syncDirectory(dirname(path));
}

/** Make the rename itself durable. Platforms that cannot open a directory for sync are skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Opening or syncing a directory is not supported everywhere (e.g. Windows); the rename stands.
  } finally {
    await handle?.close();
  }
}
