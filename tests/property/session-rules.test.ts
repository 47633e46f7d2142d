/**
 * Property: whatever phase files and pushes a build sends, one after another, the session
 * rules move a session forward without throwing, within its caps, and its plan can be drawn.
 * This is where "current_phase": "constructor" used to kill the process.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parsePhaseObject } from '../../src/collector/phase-file.js';
import { MAX_PHASES, MAX_TEXT_LENGTH } from '../../src/collector/limits.js';
import type { PhaseObservation } from '../../src/collector/types.js';
import { canonicalPhase, isFinalPhase, statusOutcome } from '../../src/core/phases.js';
import { buildPlan } from '../../src/core/plan.js';
import { applyObservation, projectOf, resolveIdentity } from '../../src/core/session-rules.js';
import type { Session } from '../../src/shared/protocol.js';
import { check, jsonObject, jsonValue, measure, PHASE_FIELDS, runs, text } from './arbitraries.js';

const T0 = Date.parse('2026-11-20T14:02:11Z');

const step = fc.tuple(
  jsonObject(PHASE_FIELDS),
  fc.constantFrom<PhaseObservation['source']>('live', 'push', 'checkpoint'),
);

describe('session rules, for any sequence of updates', () => {
  it('keep every session within its caps and its plan drawable', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const sessions = new Map<string, Session>();
        steps.forEach(([object, source], i) => {
          const { result } = parsePhaseObject(JSON.parse(JSON.stringify(object)) as Record<string, unknown>);
          if (!result.ok) return;
          const record = result.value;
          const observation: PhaseObservation = {
            source,
            record,
            raw: '',
            workdir: '/work/build',
            file: source === 'push' ? null : '/work/build/.context-foundry/current-phase.json',
            observedAt: T0 + i * 1_000,
            dataTime: T0 + i * 1_000,
          };
          const project = projectOf(record, observation.workdir);
          const latest = [...sessions.values()].at(-1);
          const identity = resolveIdentity(
            record,
            project,
            latest,
            (id) => sessions.has(id),
            new Date(T0).toISOString(),
          );
          const startedAt =
            identity.kind === 'new' ? identity.startedAt : sessions.get(identity.id)!.startedAt;
          const next = applyObservation(
            sessions.get(identity.id),
            { id: identity.id, startedAt },
            project,
            observation,
          );
          sessions.delete(next.id);
          sessions.set(next.id, next);
          check(next.phases.length <= MAX_PHASES, 'timeline past its cap');
          check(next.phasesCompleted.length <= MAX_PHASES, 'completed list past its cap');
          check(next.warnings.length <= 2, 'more than one warning per road');
          check(measure(next).longestText <= MAX_TEXT_LENGTH, 'session text past its cap');
          const plan = buildPlan(next, null);
          check(plan.length <= 2 * MAX_PHASES + 1 + 10, 'plan past its cap');
        });
      }),
      runs(1_500),
    );
  });

  it('read any value as a phase name or status word without finding Object.prototype', () => {
    fc.assert(
      fc.property(fc.oneof(text, jsonValue(['status'])), (value) => {
        const name = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
        const phase = canonicalPhase(name);
        check(phase === undefined || typeof phase.name === 'string', 'not a phase');
        check(typeof isFinalPhase(name, null, null) === 'boolean', 'not a yes or no');
        const outcome = statusOutcome(value);
        check(outcome === null || outcome === 'completed' || outcome === 'failed', 'not an outcome');
      }),
      runs(3_000),
    );
  });
});
