/**
 * @module
 * The raw text of a phase file or push, kept to show in the session's raw view: a file of several
 * megabytes (SPEC 1.1) is kept cut short, with a note, in memory and in storage alike.
 */

/** Raw phase files larger than this many UTF-8 bytes are stored cut short, with a note. */
export const MAX_RAW_BYTES = 1024 * 1024;

/**
 * Cuts raw text to at most {@link MAX_RAW_BYTES} UTF-8 bytes, on a character boundary, and
 * says so on a last line: a multi-megabyte phase file (SPEC 1.1) must not bloat every write.
 */
export function capRaw(raw: string): string {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes <= MAX_RAW_BYTES) return raw;
  const note = `\n[buildcast: truncated; the original had ${bytes} bytes, only the first 1 MiB is kept]`;
  const buf = Buffer.from(raw, 'utf8');
  let cut = MAX_RAW_BYTES - Buffer.byteLength(note, 'utf8');
  // Step back over UTF-8 continuation bytes so no character is split.
  while (cut > 0 && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return buf.subarray(0, cut).toString('utf8') + note;
}
