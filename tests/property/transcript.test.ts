/**
 * Property: any line of a Claude Code transcript is a token sample with exact counts, a skip,
 * or a problem; any bytes fed in chunks give no more samples than lines.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH } from '../../src/collector/limits.js';
import { parseTranscriptLine, RecentKeys } from '../../src/collector/transcript.js';
import { parseTranscriptChunk, TranscriptStream } from '../../src/collector/transcript-chunk.js';
import type { TokenSample } from '../../src/collector/types.js';
import { check, fileText, jsonValue, number, numberText, runs, text } from './arbitraries.js';

const count = fc.oneof(number, numberText, fc.constant(null));

/** Assistant lines with hostile parts, beside lines of any shape. */
const assistantLine = fc
  .record({
    type: fc.oneof(fc.constant('assistant'), text),
    timestamp: fc.oneof(
      fc.constant('2026-11-20T14:05:00.000Z'),
      text,
      fc.constant('+275760-09-13T00:00:00Z'),
    ),
    sessionId: text,
    cwd: text,
    requestId: text,
    isSidechain: fc.boolean(),
    message: fc.record({
      id: text,
      model: fc.oneof(fc.constant('claude-sonnet-4-5'), text, fc.constant('<synthetic>')),
      usage: fc.record({
        input_tokens: count,
        output_tokens: count,
        cache_creation_input_tokens: count,
        cache_read_input_tokens: count,
      }),
    }),
  })
  .map((line) => JSON.stringify(line));

const line = fc.oneof(
  { weight: 3, arbitrary: assistantLine },
  { weight: 2, arbitrary: fileText(jsonValue(['usage', 'message', 'type'])) },
);

function checkSample(sample: TokenSample): void {
  for (const tokens of [sample.input, sample.output, sample.cacheRead, sample.cacheWrite]) {
    check(Number.isSafeInteger(tokens) && tokens >= 0, `token count ${tokens}`);
  }
  check(sample.model.length <= MAX_NAME_LENGTH, 'model name too long');
  check((sample.cwd ?? '').length <= MAX_PATH_LENGTH, 'cwd too long');
  check(!Number.isNaN(new Date(sample.at).getTime()), 'time that is no date');
}

describe('transcript parser, for any line', () => {
  it('gives a sample with exact counts, a skip, or a problem', () => {
    fc.assert(
      fc.property(line, (input) => {
        const parsed = parseTranscriptLine(input);
        if (parsed.kind === 'sample') checkSample(parsed.sample);
      }),
      runs(3_000),
    );
  });

  it('reads any bytes, chunk by chunk, into at most one sample per line', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (lines, cuts) => {
          const bytes = Buffer.from(lines.map((l) => l.replace(/\n/g, ' ')).join('\n') + '\n');
          const whole = parseTranscriptChunk(bytes, new RecentKeys());
          check(whole.samples.length <= whole.lines && whole.lines === lines.length, 'lines miscounted');
          whole.samples.forEach(checkSample);
          const stream = new TranscriptStream(0, new RecentKeys());
          let at = 0;
          let samples = 0;
          for (const cut of [
            ...cuts.map((n) => n % (bytes.length + 1)).sort((a, b) => a - b),
            bytes.length,
          ]) {
            samples += stream.feed(bytes.subarray(at, Math.max(at, cut))).samples.length;
            at = Math.max(at, cut);
          }
          check(samples <= lines.length, 'more samples than lines');
        },
      ),
      runs(1_000),
    );
  });
});
