/**
 * @module
 * The one module of the collector that reads the disk. Every read is bounded and every failure
 * comes back as a value naming the file and the reason, never as a thrown error.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type ReadResult =
  { ok: true; text: string; mtimeMs: number; size: number } | { ok: false; reason: string; missing: boolean };

/** Default limit on a phase or state file: a build never needs more, and memory stays bounded. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

function describe(error: unknown): { reason: string; missing: boolean } {
  const err = error as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return { reason: 'file not found (deleted or renamed)', missing: true };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'permission denied', missing: false };
    case 'EISDIR':
      return { reason: 'is a folder, not a file', missing: false };
    case 'ELOOP':
      return { reason: 'symbolic link loop', missing: false };
    default:
      return { reason: err.message ?? String(error), missing: false };
  }
}

/** Reads a text file of at most `maxBytes`, with its modification time. */
export async function readSourceFile(file: string, maxBytes = MAX_SOURCE_BYTES): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: 'not a regular file', missing: false };
    if (info.size > maxBytes) {
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      return {
        ok: false,
        reason: `file is ${mb(info.size)} MB, over the ${mb(maxBytes)} MB limit`,
        missing: false,
      };
    }
    const buffer = await handle.readFile();
    return { ok: true, text: buffer.toString('utf8'), mtimeMs: info.mtimeMs, size: info.size };
  } catch (error) {
    return { ok: false, ...describe(error) };
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** Whether a path exists (a flag file such as a checkpoint's `COMPLETE`). */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The entries of a folder, or an empty list when it cannot be read. */
export async function listFolder(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}
