/**
 * Property: any text given as a phase file, and any object pushed as one, reads as a record or
 * a problem, never a throw, within every cap and no larger than a multiple of its input.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parsePhaseFileDetailed, parsePhaseObject } from '../../src/collector/phase-file.js';
import {
  MAX_JSON_DEPTH,
  MAX_LIST_ENTRIES,
  MAX_NAME_LENGTH,
  MAX_PHASE_NUMBER_LENGTH,
  MAX_PHASES,
  MAX_STATUS_LENGTH,
  MAX_TEXT_LENGTH,
} from '../../src/collector/limits.js';
import type { PhaseRecord } from '../../src/collector/types.js';
import { boundedBy, check, fileText, jsonObject, measure, PHASE_FIELDS, runs } from './arbitraries.js';

function checkCaps(record: PhaseRecord): void {
  for (const name of [record.project, record.currentPhase, ...record.phasesCompleted]) {
    check(name === null || name.length <= MAX_NAME_LENGTH, `name longer than ${MAX_NAME_LENGTH}`);
  }
  check(record.phasesCompleted.length <= MAX_PHASES, 'too many completed phases');
  check((record.status ?? '').length <= MAX_STATUS_LENGTH, 'status too long');
  check((record.phaseNumber ?? '').length <= MAX_PHASE_NUMBER_LENGTH, 'phase number too long');
  check((record.progressDetail ?? '').length <= MAX_TEXT_LENGTH, 'progress detail too long');
  check(record.testIteration === null || Number.isSafeInteger(record.testIteration), 'unsafe iteration');
  const extra = measure(record.extra);
  check(extra.longestText <= MAX_TEXT_LENGTH, 'text in extra too long');
  check(extra.longestList <= MAX_LIST_ENTRIES + 1, 'list in extra too long');
  check(extra.depth <= MAX_JSON_DEPTH + 1, 'extra too deep');
}

describe('phase file parser, for any input', () => {
  it('turns any text into a record within its caps or a problem', () => {
    fc.assert(
      fc.property(fileText(jsonObject(PHASE_FIELDS)), (text) => {
        const { result, fieldWarnings } = parsePhaseFileDetailed(text);
        if (result.ok) {
          checkCaps(result.value);
          check(result.value.warnings === fieldWarnings, 'warnings not on the record');
        } else {
          check(result.problem.message.length <= MAX_TEXT_LENGTH, 'problem message too long');
        }
        check(boundedBy(text.length, result), 'output larger than its input allows');
      }),
      runs(3_000),
    );
  });

  it('turns any pushed object into a record within its caps or a problem', () => {
    fc.assert(
      fc.property(jsonObject(PHASE_FIELDS), (object) => {
        const text = JSON.stringify(object);
        const { result } = parsePhaseObject(JSON.parse(text) as Record<string, unknown>);
        if (result.ok) checkCaps(result.value);
        check(boundedBy(text.length, result), 'output larger than its input allows');
      }),
      runs(2_000),
    );
  });
});
