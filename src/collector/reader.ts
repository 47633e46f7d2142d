/**
 * @module
 * The one module of the collector that reads the disk. Every read is bounded and every failure
 * comes back as a value naming the file and the reason, never as a thrown error.
 */
import { constants, realpathSync, statSync, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export type ReadResult =
  { ok: true; text: string; mtimeMs: number; size: number } | { ok: false; reason: string; missing: boolean };

/** Default limit on a phase or state file: a build never needs more, and memory stays bounded. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

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

/** What a path that is not a regular file is, in words, or null for a regular file. */
export function notRegular(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'is a folder, not a file';
  if (info.isFIFO()) return 'not a regular file (a FIFO)';
  if (info.isSocket()) return 'not a regular file (a socket)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'not a regular file (a device)';
  return 'not a regular file';
}

/**
 * Opens a regular file for reading, or says why not. A FIFO would block `open` until a writer
 * came, holding one of libuv's four file threads: so the path is checked first, and opened
 * non-blocking in case it was swapped in between, then checked again through the handle.
 */
async function openRegular(
  file: string,
): Promise<{ ok: true; handle: FileHandle; info: Stats } | { ok: false; reason: string; missing: boolean }> {
  const before = notRegular(await stat(file));
  if (before !== null) return { ok: false, reason: before, missing: false };
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  const info = await handle.stat().catch(async (error: unknown) => {
    await handle.close().catch(() => {});
    throw error;
  });
  const after = notRegular(info);
  if (after === null) return { ok: true, handle, info };
  await handle.close().catch(() => {});
  return { ok: false, reason: after, missing: false };
}

/** Reads a text file of at most `maxBytes`, with its modification time. */
export async function readSourceFile(file: string, maxBytes = MAX_SOURCE_BYTES): Promise<ReadResult> {
  let handle: FileHandle | undefined;
  try {
    const opened = await openRegular(file);
    if (!opened.ok) return opened;
    handle = opened.handle;
    const { info } = opened;
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

/**
 * A slice of a file read from a byte position, with the size and inode seen at that moment, and
 * its first bytes when asked for (`head`, empty otherwise).
 */
export type RangeResult =
  | { ok: true; bytes: Buffer; size: number; ino: number; head: Buffer }
  | { ok: false; reason: string; missing: boolean };

/**
 * Reads up to `maxBytes` from `start`, and the file's first `headBytes` bytes. Size, inode and
 * head come from the same open handle as the bytes, so a caller can tell a file that shrank or
 * was replaced (even by a new file that was given the old one's inode) from one that only grew.
 */
export async function readRange(
  file: string,
  start: number,
  maxBytes: number,
  headBytes = 0,
): Promise<RangeResult> {
  let handle: FileHandle | undefined;
  try {
    const opened = await openRegular(file);
    if (!opened.ok) return opened;
    handle = opened.handle;
    const { info } = opened;
    const fill = async (buffer: Buffer, from: number): Promise<Buffer> => {
      let got = 0;
      while (got < buffer.length) {
        const { bytesRead } = await handle!.read(buffer, got, buffer.length - got, from + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === buffer.length ? buffer : buffer.subarray(0, got);
    };
    const head = await fill(Buffer.alloc(Math.max(0, Math.min(headBytes, info.size))), 0);
    const want = Math.max(0, Math.min(maxBytes, info.size - start));
    const bytes = want === 0 ? Buffer.alloc(0) : await fill(Buffer.allocUnsafe(want), start);
    return { ok: true, bytes, size: info.size, ino: info.ino, head };
  } catch (error) {
    return { ok: false, ...describe(error) };
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** Size, inode and modification time of a regular file, or null when it is missing or not a file. */
export async function fileIdentity(
  file: string,
): Promise<{ size: number; ino: number; mtimeMs: number } | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? { size: info.size, ino: info.ino, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** How many newline bytes the first `end` bytes of a file hold (a line number for a byte offset). */
export async function countLines(
  file: string,
  end: number,
  chunkBytes = 4 * 1024 * 1024,
): Promise<number | null> {
  let count = 0;
  for (let pos = 0; pos < end;) {
    const read = await readRange(file, pos, Math.min(chunkBytes, end - pos));
    if (!read.ok) return null;
    if (read.bytes.length === 0) break;
    for (let i = read.bytes.indexOf(10); i >= 0; i = read.bytes.indexOf(10, i + 1)) count++;
    pos += read.bytes.length;
  }
  return count;
}

/** A folder entry: its path and what it is; symbolic links are reported as `other`, never followed. */
export interface FolderEntry {
  path: string;
  kind: 'file' | 'folder' | 'other';
}

/** The entries of a folder with their kinds, or an empty list when it cannot be read. */
export async function listFolderEntries(folder: string): Promise<FolderEntry[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.map((entry) => ({
      path: path.join(folder, entry.name),
      kind: entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : 'other',
    }));
  } catch {
    return [];
  }
}

/** The real path of an existing folder (links resolved), or null when there is no such folder. */
export function realFolderSync(folder: string): string | null {
  try {
    const real = realpathSync(folder);
    return statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}
