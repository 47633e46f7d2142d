/**
 * Claude Code transcript lines turned into token samples: real lines from a realistic session,
 * and every way a line can go wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH } from '../../src/collector/limits.js';
import { MAX_LINE_BYTES, parseTranscriptLine, RecentKeys } from '../../src/collector/transcript.js';
import { parseTranscriptChunk, TranscriptStream } from '../../src/collector/transcript-chunk.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/transcripts/session.jsonl');
/** Claude Code 2.1 lines whose cache writes are split into 5-minute and 1-hour entries. */
const withHourCache = path.resolve(import.meta.dirname, '../fixtures/transcripts/session-1h-cache.jsonl');
const SONNET = 'claude-sonnet-4-5-20250929';

/** An assistant line as Claude Code writes it, with parts replaced or removed (`undefined`). */
function assistant(
  overrides: Record<string, unknown> = {},
  message: Record<string, unknown> = {},
  usage: Record<string, unknown> = {},
): string {
  const line: Record<string, unknown> = {
    parentUuid: 'p1',
    isSidechain: false,
    cwd: '/home/dev/weather-app',
    sessionId: 'sess-1',
    version: '1.0.98',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Done.' }],
      usage: {
        input_tokens: 10,
        cache_creation_input_tokens: 200,
        cache_read_input_tokens: 3000,
        output_tokens: 40,
        ...usage,
      },
      ...message,
    },
    // One request per message, as Claude Code writes them.
    requestId: typeof message['id'] === 'string' ? String(message['id']).replace('msg', 'req') : 'req_1',
    type: 'assistant',
    uuid: 'u1',
    timestamp: '2026-11-20T14:05:00.000Z',
    ...overrides,
  };
  return JSON.stringify(line);
}

function sampleOf(line: string) {
  const parsed = parseTranscriptLine(line);
  if (parsed.kind !== 'sample') throw new Error(`expected a sample, got ${JSON.stringify(parsed)}`);
  return parsed.sample;
}

function reasonOf(line: string): string {
  const parsed = parseTranscriptLine(line);
  if (parsed.kind !== 'problem') throw new Error(`expected a problem, got ${parsed.kind}`);
  return parsed.reason;
}

describe('parseTranscriptLine', () => {
  it('reads the real token counts of an assistant line', () => {
    expect(sampleOf(assistant())).toEqual({
      key: 'req:req_1',
      source: 'transcript',
      claudeSessionId: 'sess-1',
      cwd: '/home/dev/weather-app',
      project: null,
      at: Date.parse('2026-11-20T14:05:00.000Z'),
      model: 'claude-sonnet-4-5-20250929',
      input: 10,
      output: 40,
      cacheRead: 3000,
      cacheWrite: 200,
      cacheWrite1h: 0,
      costUsd: null,
      sidechain: false,
      agentId: null,
    });
  });

  it('reads which cache writes are for an hour, keeping the total as written', () => {
    const split = (fiveMin: unknown, hour: unknown) => ({
      ephemeral_5m_input_tokens: fiveMin,
      ephemeral_1h_input_tokens: hour,
    });
    const both = sampleOf(
      assistant({}, {}, { cache_creation_input_tokens: 2406, cache_creation: split(406, 2000) }),
    );
    expect([both.cacheWrite, both.cacheWrite1h]).toEqual([2406, 2000]);
    // Without the split, every write is a 5-minute one.
    expect(sampleOf(assistant()).cacheWrite1h).toBe(0);
    expect(sampleOf(assistant({}, {}, { cache_creation: null })).cacheWrite1h).toBe(0);
    // Without the total, the split adds up to it.
    const noTotal = sampleOf(
      assistant({}, {}, { cache_creation_input_tokens: undefined, cache_creation: split(7, 5) }),
    );
    expect([noTotal.cacheWrite, noTotal.cacheWrite1h]).toEqual([12, 5]);
    // A split that says more than the total cannot make the hour part larger than all writes.
    const over = sampleOf(
      assistant({}, {}, { cache_creation_input_tokens: 100, cache_creation: split(0, 250) }),
    );
    expect([over.cacheWrite, over.cacheWrite1h]).toEqual([100, 100]);
    expect(reasonOf(assistant({}, {}, { cache_creation: split(0, '5') }))).toBe(
      'usage.cache_creation.ephemeral_1h_input_tokens is not a number',
    );
    expect(reasonOf(assistant({}, {}, { cache_creation: split(-1, 0) }))).toBe(
      'usage.cache_creation.ephemeral_5m_input_tokens is negative',
    );
  });

  it('marks subagent requests as sidechain, with the agent that made them', () => {
    expect(sampleOf(assistant({ isSidechain: true })).sidechain).toBe(true);
    expect(sampleOf(assistant({ isSidechain: true, agentId: 'ae267a1' })).agentId).toBe('ae267a1');
  });

  it('skips the synthetic messages Claude Code makes up itself', () => {
    expect(parseTranscriptLine(assistant({}, { model: '<synthetic>' }))).toEqual({ kind: 'skip' });
  });

  it('skips every line type without usage silently', () => {
    for (const line of [
      '{"type":"summary","summary":"Weather app","leafUuid":"a9"}',
      '{"type":"user","message":{"role":"user","content":"go"},"timestamp":"2026-11-20T14:00:00Z"}',
      '{"type":"system","content":"hook ran","level":"info"}',
      '{"type":"file-history-snapshot","messageId":"a8","snapshot":{}}',
      '',
      '   ',
    ]) {
      expect(parseTranscriptLine(line)).toEqual({ kind: 'skip' });
    }
  });

  it('uses the cost older Claude Code versions wrote, and keys lines without a request id', () => {
    expect(sampleOf(assistant({ costUSD: 0.0213 })).costUsd).toBe(0.0213);
    expect(sampleOf(assistant({ requestId: undefined })).key).toBe('msg:msg_1');
  });

  it('reports a line without a message id', () => {
    expect(reasonOf(assistant({}, { id: undefined }))).toBe('no message id');
  });

  it('reports broken JSON, including a line cut off mid-write', () => {
    expect(reasonOf('{"type":"assistant","message":{')).toBe('malformed JSON');
    expect(reasonOf(assistant().slice(0, 120))).toBe('malformed JSON');
    expect(reasonOf('{"parentUuid":"a1","type":"user","mess')).toBe('malformed JSON');
    expect(reasonOf('["usage"]')).toBe('not a JSON object');
  });

  it('reports missing, negative and non-numeric usage', () => {
    expect(reasonOf(assistant({}, { usage: undefined }))).toBe('no usage');
    expect(reasonOf(assistant({}, {}, { input_tokens: undefined }))).toBe('usage.input_tokens missing');
    expect(reasonOf(assistant({}, {}, { output_tokens: -3 }))).toBe('usage.output_tokens is negative');
    expect(reasonOf(assistant({}, {}, { cache_read_input_tokens: '12' }))).toBe(
      'usage.cache_read_input_tokens is not a number',
    );
  });

  it('counts absent cache fields as zero', () => {
    const sample = sampleOf(
      assistant({}, {}, { cache_creation_input_tokens: undefined, cache_read_input_tokens: undefined }),
    );
    expect([sample.cacheRead, sample.cacheWrite]).toEqual([0, 0]);
  });

  it('reports a missing or unreadable timestamp', () => {
    expect(reasonOf(assistant({ timestamp: undefined }))).toBe('no timestamp');
    expect(reasonOf(assistant({ timestamp: 'yesterday' }))).toBe('invalid timestamp');
  });

  it('reports a line over 4 MiB without parsing it', () => {
    const huge = assistant({}, { content: [{ type: 'text', text: 'x'.repeat(MAX_LINE_BYTES) }] });
    expect(reasonOf(huge)).toBe('line over 4 MiB');
  });
});

describe('parseTranscriptChunk', () => {
  it('reads a realistic session: streamed lines once with their final count, side lines skipped', () => {
    const chunk = parseTranscriptChunk(readFileSync(fixture), new RecentKeys());
    expect(chunk.problems).toEqual([]);
    expect(chunk.lines).toBe(12);
    expect(
      chunk.samples.map((s) => ({ key: s.key, output: s.output, sidechain: s.sidechain, cost: s.costUsd })),
    ).toEqual([
      { key: 'req:req_011A', output: 187, sidechain: false, cost: null },
      { key: 'req:req_011B', output: 342, sidechain: false, cost: null },
      { key: 'req:req_011D', output: 911, sidechain: true, cost: null },
      { key: 'req:req_011E', output: 1204, sidechain: false, cost: 0.0213 },
      { key: 'msg:msg_01Ny', output: 77, sidechain: false, cost: null },
    ]);
    expect(chunk.samples[1]).toMatchObject({ cacheWrite: 1820, cacheRead: 12034, input: 6 });
  });

  it('reads the 1-hour cache writes of a recent Claude Code session, each request once', () => {
    const chunk = parseTranscriptChunk(readFileSync(withHourCache), new RecentKeys());
    expect(chunk.problems).toEqual([]);
    expect(
      chunk.samples.map(({ key, model, cacheWrite, cacheWrite1h, cacheRead, output, sidechain }) => ({
        key,
        model,
        cacheWrite,
        cacheWrite1h,
        cacheRead,
        output,
        sidechain,
      })),
    ).toEqual([
      {
        key: 'req:req_011CT1',
        model: SONNET,
        cacheWrite: 18_231,
        cacheWrite1h: 18_231,
        cacheRead: 0,
        output: 214,
        sidechain: false,
      },
      {
        key: 'req:req_011CT2',
        model: SONNET,
        cacheWrite: 2_406,
        cacheWrite1h: 2_000,
        cacheRead: 18_231,
        output: 385,
        sidechain: false,
      },
      {
        key: 'req:req_011CT3',
        model: 'claude-haiku-4-5-20251001',
        cacheWrite: 5_120,
        cacheWrite1h: 0,
        cacheRead: 0,
        output: 611,
        sidechain: true,
      },
      {
        key: 'req:req_011CT4',
        model: SONNET,
        cacheWrite: 3_310,
        cacheWrite1h: 3_310,
        cacheRead: 198_400,
        output: 1_290,
        sidechain: false,
      },
      {
        key: 'req:req_011CT5',
        model: SONNET,
        cacheWrite: 900,
        cacheWrite1h: 0,
        cacheRead: 20_637,
        output: 77,
        sidechain: false,
      },
    ]);
  });

  it('leaves a line still being written for the next read', () => {
    const complete = `${assistant()}\n`;
    const bytes = Buffer.from(complete + assistant({}, { id: 'msg_2' }).slice(0, 90));
    const chunk = parseTranscriptChunk(bytes, new RecentKeys());
    expect(chunk.samples).toHaveLength(1);
    expect(chunk.consumed).toBe(Buffer.byteLength(complete));
    expect(parseTranscriptChunk(Buffer.from('{"type":"us'), new RecentKeys()).consumed).toBe(0);
  });

  it('numbers problems by line and goes on reading after them', () => {
    const text = [assistant(), '{"broken', assistant({}, { id: 'msg_2' }, { output_tokens: -1 })].join('\n');
    const chunk = parseTranscriptChunk(
      Buffer.from(`${text}\n${assistant({}, { id: 'msg_3' })}\n`),
      new RecentKeys(),
    );
    expect(chunk.problems).toEqual([
      { index: 1, reason: 'malformed JSON' },
      { index: 2, reason: 'usage.output_tokens is negative' },
    ]);
    expect(chunk.samples.map((s) => s.key)).toEqual(['req:req_1', 'req:req_3']);
  });

  it('keeps multi-byte characters whole', () => {
    const line = assistant({ cwd: '/home/dév/météo-☀' });
    const chunk = parseTranscriptChunk(Buffer.from(`${line}\n`), new RecentKeys());
    expect(chunk.samples[0]!.cwd).toBe('/home/dév/météo-☀');
  });

  it('remembers a bounded number of recent keys, and takes a later line only when it shows more', () => {
    const recent = new RecentKeys(2);
    expect([
      recent.offer('a', 10),
      recent.offer('a', 10),
      recent.offer('a', 12),
      recent.offer('b', 1),
      recent.offer('c', 1),
      recent.offer('a', 5),
    ]).toEqual([true, false, true, true, true, true]);
  });
});

describe('TranscriptStream', () => {
  it('gives the same samples however the bytes are cut, even inside a character', () => {
    const bytes = Buffer.from(
      [
        assistant({ cwd: '/home/dév/☀' }),
        assistant({}, { id: 'msg_2' }),
        assistant({}, { id: 'msg_3' }),
      ].join('\n') + '\n',
    );
    for (const size of [1, 7, 64, 333, bytes.length]) {
      const stream = new TranscriptStream(1000, new RecentKeys());
      const keys: string[] = [];
      let offset = 1000;
      for (let at = 0; at < bytes.length; at += size) {
        const fed = stream.feed(bytes.subarray(at, at + size));
        keys.push(...fed.samples.map((s) => `${s.key} ${s.cwd}`));
        offset = fed.offset;
      }
      expect(keys).toEqual([
        'req:req_1 /home/dév/☀',
        'req:req_2 /home/dev/weather-app',
        'req:req_3 /home/dev/weather-app',
      ]);
      expect(offset).toBe(1000 + bytes.length);
    }
  });

  it('drops a line over 4 MiB as it streams past and reports it once its newline arrives', () => {
    const stream = new TranscriptStream(0, new RecentKeys());
    const first = Buffer.from(`${assistant()}\n`);
    const slice = Buffer.alloc(1024 * 1024, 0x78);
    const fedFirst = stream.feed(Buffer.concat([first, slice]));
    expect(fedFirst).toMatchObject({ lines: 1, offset: first.length, problems: [] });
    for (let i = 0; i < 4; i++) expect(stream.feed(slice)).toMatchObject({ lines: 0, offset: first.length });
    const tail = Buffer.from(`xx\n${assistant({}, { id: 'msg_2' })}\n{"broken\n`);
    const fed = stream.feed(tail);
    expect(fed.problems).toEqual([
      { index: 0, reason: 'line over 4 MiB' },
      { index: 2, reason: 'malformed JSON' },
    ]);
    expect(fed.samples.map((s) => s.key)).toEqual(['req:req_2']);
    expect(fed.lines).toBe(3);
    expect(fed.offset).toBe(first.length + 5 * slice.length + tail.length);
  });
});

describe('parseTranscriptLine: hostile lines', () => {
  it('refuses token counts beyond 2^53 instead of adding them up', () => {
    expect(reasonOf(assistant({}, {}, { input_tokens: 2 ** 62 }))).toBe(
      'usage.input_tokens is not a whole number below 2^53',
    );
    expect(sampleOf(assistant({}, {}, { output_tokens: 2 ** 53 - 1 })).output).toBe(2 ** 53 - 1);
  });

  it('refuses a time no request had', () => {
    expect(reasonOf(assistant({ timestamp: '+275760-09-13T00:00:00.000Z' }))).toBe('invalid timestamp');
  });

  it('cuts a runaway model name and ids', () => {
    const sample = sampleOf(assistant({ requestId: 'r'.repeat(10_000) }, { model: 'm'.repeat(10_000) }));
    expect(sample.model).toHaveLength(MAX_NAME_LENGTH);
    expect(sample.key.length).toBeLessThanOrEqual(MAX_NAME_LENGTH + 4);
  });
});
