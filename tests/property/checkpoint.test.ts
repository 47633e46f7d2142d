/** Property: any checkpoint folder's texts read as a record within its caps, or a problem. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseCheckpoint } from '../../src/collector/checkpoint.js';
import { MAX_LIST_ENTRIES, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../../src/collector/limits.js';
import {
  boundedBy,
  CHECKPOINT_FIELDS,
  check,
  fileText,
  jsonObject,
  measure,
  runs,
  text,
} from './arbitraries.js';

const folderName = fc.oneof(
  fc.constant('weather-app_20261120_140211'),
  text.map((name) => `${name}_20261120_140211`),
  text,
);

describe('checkpoint parser, for any folder', () => {
  it('reads a record within its caps or says why not', () => {
    fc.assert(
      fc.property(
        folderName,
        fc.option(fileText(jsonObject(CHECKPOINT_FIELDS))),
        fc.option(fileText(jsonObject(CHECKPOINT_FIELDS))),
        fc.boolean(),
        (name, stateText, progressText, complete) => {
          const result = parseCheckpoint({ folderName: name, stateText, progressText, complete });
          const size = name.length + (stateText?.length ?? 0) + (progressText?.length ?? 0);
          check(boundedBy(size, result), 'output larger than its input allows');
          if (!result.ok) return;
          const { record } = result.value;
          check((record.project ?? '').length <= MAX_NAME_LENGTH, 'project too long');
          check((record.currentPhase ?? '').length <= MAX_NAME_LENGTH, 'phase too long');
          check(record.testIteration === null || Number.isSafeInteger(record.testIteration), 'unsafe count');
          const extra = measure(record.extra);
          check(extra.longestText <= MAX_TEXT_LENGTH, 'text in extra too long');
          check(extra.longestList <= MAX_LIST_ENTRIES + 1, 'list in extra too long');
        },
      ),
      runs(1_500),
    );
  });
});
