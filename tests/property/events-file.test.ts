/** Property: any line of an `events.jsonl` is an event within its caps, skipped, or a problem. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MAX_EVENT_TEXT_LENGTH, parseEventLine, parseEventLog } from '../../src/collector/events-file.js';
import { MAX_LIST_ENTRIES, MAX_TEXT_LENGTH } from '../../src/collector/limits.js';
import { boundedBy, check, EVENT_FIELDS, fileText, jsonObject, measure, runs } from './arbitraries.js';

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

describe('event log parser, for any line', () => {
  it('gives an event within its caps, a skip, or a problem', () => {
    fc.assert(
      fc.property(fileText(jsonObject(EVENT_FIELDS)), (line) => {
        const parsed = parseEventLine(line);
        check(boundedBy(line.length, parsed), 'output larger than its input allows');
        if (parsed.kind !== 'event') return;
        const { event } = parsed;
        check(LEVELS.has(event.level), `level ${String(event.level)}`);
        check(event.text.length <= MAX_EVENT_TEXT_LENGTH, 'text too long');
        check(event.sequence === null || Number.isSafeInteger(event.sequence), 'unsafe sequence');
        const data = measure(event.data);
        check(
          data.longestText <= MAX_TEXT_LENGTH && data.longestList <= MAX_LIST_ENTRIES + 1,
          'data too big',
        );
      }),
      runs(3_000),
    );
  });

  it('reads a log of such lines, one result per complete line', () => {
    fc.assert(
      fc.property(fc.array(fileText(jsonObject(EVENT_FIELDS)), { maxLength: 8 }), (lines) => {
        const text = lines.map((line) => line.replace(/\n/g, ' ')).join('\n');
        const log = parseEventLog(text);
        check(log.events.length + log.problems.length <= lines.length, 'more results than lines');
      }),
      runs(500),
    );
  });
});
