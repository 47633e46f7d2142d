import { describe, expect, it } from 'vitest';
import { phasePipeline } from '../../src/render/pipeline.js';
import type { Session } from '../../src/shared/protocol.js';
import { plannedPhases } from '../../src/server/pages.js';
import { makeSession, span } from './fixtures.js';

/** The pipeline of a card: the session's plan without Builder's tasks, as the pages give it. */
const pipelineOf = (session: Session) => phasePipeline(plannedPhases(session, null));

const summary = (segments: ReturnType<typeof phasePipeline>) =>
  segments.map((segment) => `${segment.name}:${segment.status}`);

describe('phasePipeline', () => {
  it('marks phases done, current and upcoming, with durations for the done ones', () => {
    const segments = pipelineOf(makeSession());
    expect(summary(segments)).toEqual([
      'Scout:done',
      'Architect:done',
      'Builder:done',
      'Test:current',
      'Screenshot:upcoming',
      'Documentation:upcoming',
      'Deploy:upcoming',
      'Feedback:upcoming',
      'GitHub Integration:upcoming',
    ]);
    expect(segments[0]?.durationMs).toBe(4 * 60_000 + 12_000);
    expect(segments[3]?.startedAt).toBe('2026-11-20T13:55:00Z');
  });

  it('shows Codebase Analysis only when the session ran it', () => {
    expect(pipelineOf(makeSession()).some((segment) => segment.name === 'Codebase Analysis')).toBe(false);
    const enhancing = makeSession({
      phases: [span('Codebase Analysis', '0/7', 0, '2026-11-20T13:30:00Z', '2026-11-20T13:40:00Z')],
      phasesCompleted: ['Codebase Analysis'],
      currentPhase: 'Scout',
      phaseNumber: '1/7',
      phaseIndex: 1,
    });
    expect(summary(pipelineOf(enhancing)).slice(0, 2)).toEqual(['Codebase Analysis:done', 'Scout:current']);
  });

  it('reads drifted phase names as the canonical phase', () => {
    const session = makeSession({ phases: [], phasesCompleted: ['scout', 'ARCHITECT', 'building'] });
    expect(summary(pipelineOf(session)).slice(0, 4)).toEqual([
      'Scout:done',
      'Architect:done',
      'Builder:done',
      'Test:current',
    ]);
  });

  it('adds a phase Context Foundry does not know, placed by its number', () => {
    const session = makeSession({
      phases: [span('Security Review', '3.5/8', 3.5, '2026-11-20T13:55:00Z', null)],
      phasesCompleted: ['Scout', 'Architect', 'Builder'],
      currentPhase: 'Security Review',
      phaseNumber: '3.5/8',
      phaseIndex: 3.5,
    });
    const names = summary(pipelineOf(session));
    expect(names.indexOf('Security Review:current')).toBe(names.indexOf('Builder:done') + 1);
    expect(names).toContain('Test:upcoming');
  });

  it('marks a skipped phase as not run, and what a failed phase held up as blocked', () => {
    const atDocs = makeSession({
      phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test'],
      phases: [],
      currentPhase: 'Documentation',
      phaseNumber: '5/8',
      phaseIndex: 5,
    });
    expect(summary(pipelineOf(atDocs))).toContain('Screenshot:skipped');
    const failed = makeSession({ state: 'failed', phases: [], activity: 'failed' });
    const segments = pipelineOf(failed);
    expect(summary(segments)).toContain('Test:failed');
    expect(summary(segments)).toContain('Deploy:blocked');
    expect(segments.find((segment) => segment.name === 'Deploy')?.reason).toBe('Test failed');
    const completed = makeSession({
      state: 'completed',
      endedAt: '2026-11-20T14:30:00Z',
      activity: 'completed',
      currentPhase: 'Feedback',
      phaseNumber: '7/8',
      phaseIndex: 7,
      phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test', 'Documentation', 'Deploy', 'Feedback'],
      phases: [],
    });
    expect(summary(pipelineOf(completed)).slice(-5)).toEqual([
      'Screenshot:skipped',
      'Documentation:done',
      'Deploy:done',
      'Feedback:done',
      'GitHub Integration:skipped',
    ]);
  });

  it('does not draw a non-Context-Foundry build against Context Foundry phases', () => {
    const ralph = makeSession({
      phases: [span('Planning', null, null, '2026-11-20T13:40:00Z', '2026-11-20T13:45:00Z')],
      phasesCompleted: [],
      currentPhase: 'Iterate',
      phaseNumber: null,
      phaseIndex: null,
    });
    expect(summary(pipelineOf(ralph))).toEqual(['Planning:done', 'Iterate:current']);
  });
});
