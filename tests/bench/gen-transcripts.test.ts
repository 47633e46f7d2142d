import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendTurn, generateTranscripts, type TokenTotals } from '../../bench/gen-transcripts.js';
import { loadPricing } from '../../src/collector/pricing-file.js';
import { parseTranscriptLine } from '../../src/collector/transcript.js';
import type { TokenSample } from '../../src/collector/types.js';
import { PriceTable } from '../../src/core/pricing.js';
import { dollars } from '../../bench/transcript-cost.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gen-transcripts-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every `.jsonl` file under `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** Reads a set the way SPEC 1.5 counts it: each request key once, from its first line. */
function count(dir: string) {
  const first: TokenTotals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  const last = new Map<string, TokenSample>();
  const linesPerKey = new Map<string, number>();
  let lines = 0;
  let bytes = 0;
  let problems = 0;
  let synthetic = 0;
  let sidechain = 0;
  for (const file of listFiles(dir)) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    bytes += Buffer.byteLength(text);
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.slice(0, -1).split('\n')) {
      lines += 1;
      const record = JSON.parse(line) as { isSidechain?: boolean; message?: { model?: string } };
      if (record.message?.model === '<synthetic>') synthetic += 1;
      if (record.isSidechain === true) sidechain += 1;
      const parsed = parseTranscriptLine(line);
      if (parsed.kind === 'problem') problems += 1;
      if (parsed.kind !== 'sample') continue;
      const { key, input, output, cacheRead, cacheWrite } = parsed.sample;
      linesPerKey.set(key, (linesPerKey.get(key) ?? 0) + 1);
      if (!last.has(key)) {
        first.input += input;
        first.output += output;
        first.cacheRead += cacheRead;
        first.cacheWrite += cacheWrite;
      }
      last.set(key, parsed.sample);
    }
  }
  const final: TokenTotals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const t of last.values()) {
    final.input += t.input;
    final.output += t.output;
    final.cacheRead += t.cacheRead;
    final.cacheWrite += t.cacheWrite;
  }
  return {
    first,
    final,
    requests: last.size,
    finalSamples: [...last.values()],
    linesPerKey,
    lines,
    bytes,
    problems,
    synthetic,
    sidechain,
  };
}

describe('generateTranscripts', () => {
  it('writes the same files, byte for byte, for the same seed, and other files for another', async () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    const setA = await generateTranscripts({ dir: a, totalBytes: 600_000, seed: 42 });
    const setB = await generateTranscripts({ dir: b, totalBytes: 600_000, seed: 42 });
    await generateTranscripts({ dir: c, totalBytes: 600_000, seed: 43 });

    const files = listFiles(a);
    expect(files).toEqual(listFiles(b));
    for (const file of files) {
      expect(readFileSync(path.join(a, file)).equals(readFileSync(path.join(b, file)))).toBe(true);
    }
    expect({ ...setA, transcripts: null }).toEqual({ ...setB, transcripts: null });
    expect(listFiles(c)).not.toEqual(files);
  });

  it('lays the set out as Claude Code does: ~20 projects, one folder per working directory', async () => {
    const dir = tempDir();
    const set = await generateTranscripts({ dir, totalBytes: 2_000_000, seed: 1 });
    const files = listFiles(dir);
    expect(files).toHaveLength(set.files);
    expect(set.projects).toBe(20);
    for (const file of files) expect(file).toMatch(/^projects\/-home-dev-src-[a-z-]+\/[0-9a-f-]{36}\.jsonl$/);
    expect(new Set(files.map((file) => path.dirname(file))).size).toBe(20);
    for (const t of set.transcripts) {
      expect(path.basename(t.path, '.jsonl')).toBe(t.sessionId);
      expect(path.dirname(t.path)).toBe(path.join(dir, 'projects', t.cwd.replace(/[^a-zA-Z0-9]/g, '-')));
    }
    // Close to the size asked for: the bench reports MB/s of the real size, but "100 MB" should be about that.
    expect(set.bytes).toBeGreaterThan(1_600_000);
    expect(set.bytes).toBeLessThan(2_600_000);
  });

  it('returns exactly the totals a reader finds counting each request once', async () => {
    const dir = tempDir();
    const set = await generateTranscripts({ dir, totalBytes: 2_000_000, seed: 7 });
    const found = count(dir);

    expect(found.problems).toBe(0);
    expect(found.bytes).toBe(set.bytes);
    expect(found.lines).toBe(set.lines);
    expect(found.requests).toBe(set.requests);
    expect(found.first).toEqual(set.tokens);
    expect(found.final).toEqual(set.finalTokens);
    // Streamed responses: two or three lines per request, partial output until the last line.
    const spread = [...found.linesPerKey.values()];
    expect(spread.some((n) => n === 2)).toBe(true);
    expect(spread.some((n) => n === 3)).toBe(true);
    expect(Math.max(...spread)).toBeLessThanOrEqual(3);
    expect(set.finalTokens.output).toBeGreaterThan(set.tokens.output);
    // What a realistic history holds besides plain requests.
    expect(found.synthetic).toBeGreaterThan(0);
    expect(found.sidechain).toBeGreaterThan(0);
    expect(set.bytes / set.lines).toBeGreaterThan(1_000);
  });

  it("writes 1-hour cache writes and long requests, and knows what they cost at Anthropic's prices", async () => {
    const dir = tempDir();
    const set = await generateTranscripts({ dir, totalBytes: 4_000_000, seed: 20261121 });
    const { finalSamples } = count(dir);
    const hour = finalSamples.reduce((sum, s) => sum + (s.cacheWrite1h ?? 0), 0);
    expect(hour).toBe(set.cost.cacheWrite1h);
    expect(hour).toBeGreaterThan(0);
    expect(hour).toBeLessThan(set.cost.cacheWrite);
    expect(set.cost.longRequests).toBeGreaterThan(0);
    expect(finalSamples.filter((s) => s.input + s.cacheRead + s.cacheWrite > 200_000)).toHaveLength(
      set.cost.longRequests,
    );
    // Sessions of an older Claude Code write no split at all, newer ones always do.
    const texts = set.transcripts.map((t) => readFileSync(t.path, 'utf8'));
    const unsplit = texts.filter((text) => !text.includes('"cache_creation":{'));
    expect(unsplit.length).toBeGreaterThan(0);
    for (const text of unsplit) expect(text).toContain('"version":"1.0.98"');
    // The shipped table prices the same requests to the same pico-dollar.
    const table = new PriceTable(
      loadPricing({ builtin: path.resolve(import.meta.dirname, '../../data/pricing.json') }).entries,
    );
    const priced = finalSamples.reduce((sum, s) => sum + Math.round(table.costOf(s.model, s)! * 1e12), 0);
    expect(priced).toBe(set.cost.anthropic);
    expect(set.transcripts.reduce((sum, t) => sum + t.cost.anthropic, 0)).toBe(set.cost.anthropic);
    // Per-field tiering prices long requests lower; all-5-minute writes price 1-hour ones lower.
    expect(set.cost.perFieldTiering).toBeLessThan(set.cost.anthropic);
    expect(set.cost.flat).toBeLessThan(set.cost.perFieldTiering);
    expect(dollars(set.cost.anthropic)).toBeGreaterThan(1);
  });

  it('appends a turn that adds exactly the bytes and tokens it reports, with new request ids', async () => {
    const dir = tempDir();
    const set = await generateTranscripts({ dir, totalBytes: 600_000, seed: 5 });
    const before = count(dir);
    const file = set.transcripts[3]!;
    const size = statSync(file.path).size;
    const previous = file.lastUuid;

    const added = await appendTurn(file, 99);
    expect(statSync(file.path).size - size).toBe(added.bytes);
    expect(file.bytes).toBe(statSync(file.path).size);

    const after = count(dir);
    expect(after.problems).toBe(0);
    expect(after.requests).toBe(before.requests + added.requests);
    expect(after.first).toEqual({
      input: set.tokens.input + added.tokens.input,
      output: set.tokens.output + added.tokens.output,
      cacheRead: set.tokens.cacheRead + added.tokens.cacheRead,
      cacheWrite: set.tokens.cacheWrite + added.tokens.cacheWrite,
    });
    const appended = readFileSync(file.path).subarray(size).toString('utf8').trim().split('\n');
    const firstNew = JSON.parse(appended[0]!) as { parentUuid: string; sessionId: string; cwd: string };
    // It goes on from the last line, as a resumed conversation does.
    expect(firstNew).toEqual(
      expect.objectContaining({ parentUuid: previous, sessionId: file.sessionId, cwd: file.cwd }),
    );
  });
});
