import { describe, expect, it } from 'vitest';
import {
  CANONICAL_PHASES,
  canonicalPhase,
  isFinalPhase,
  isTerminalStatus,
  phaseKey,
  statusOutcome,
} from '../../src/core/phases.js';

describe('CANONICAL_PHASES', () => {
  it('lists Context Foundry phases in the order they run, with their numbers as written', () => {
    expect(CANONICAL_PHASES.map((phase) => `${phase.name} ${phase.number}`)).toEqual([
      'Codebase Analysis 0/7',
      'Scout 1/7',
      'Architect 2/7',
      'Builder 3/7',
      'Test 4/7',
      'Screenshot 4.5/8',
      'Documentation 5/8',
      'Deploy 6/8',
      'Feedback 7/8',
      'GitHub Integration 7.5/8',
    ]);
  });

  it('has indexes that match the numbers and only Codebase Analysis optional', () => {
    for (const phase of CANONICAL_PHASES) {
      expect(`${phase.index}/${phase.total}`).toBe(phase.number);
    }
    expect(CANONICAL_PHASES.filter((phase) => phase.optional).map((phase) => phase.name)).toEqual([
      'Codebase Analysis',
    ]);
    const indexes = CANONICAL_PHASES.map((phase) => phase.index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
  });
});

describe('phaseKey and canonicalPhase', () => {
  it('gives one key whatever the case, spacing or punctuation', () => {
    const keys = ['GitHub Integration', 'github integration', 'GITHUB_INTEGRATION', ' github-Integration '];
    expect(new Set(keys.map(phaseKey))).toEqual(new Set(['githubintegration']));
  });

  it.each([
    ['github integration', 'GitHub Integration'],
    ['codebase_analysis', 'Codebase Analysis'],
    ['TEST', 'Test'],
    ['Testing', 'Test'],
    ['docs', 'Documentation'],
    ['Screenshots', 'Screenshot'],
  ])('finds %j as %j', (name, expected) => {
    expect(canonicalPhase(name)?.name).toBe(expected);
  });

  it('returns undefined for phases Context Foundry does not have', () => {
    expect(canonicalPhase('Lint')).toBeUndefined();
    expect(canonicalPhase('')).toBeUndefined();
  });
});

describe('isFinalPhase', () => {
  it.each([
    ['Feedback', 7, 8, true],
    ['feedback', null, null, true],
    ['GitHub Integration', 7.5, 8, true],
    ['github_integration', null, null, true],
    ['Deploy', 8, 8, true],
    [null, 7, 7, true],
    ['Test', 4, 7, false],
    ['Deploy', 6, 8, false],
    ['Deploy', 6, null, false],
    [null, null, null, false],
  ] as const)('%j at %j/%j → %j', (name, index, total, expected) => {
    expect(isFinalPhase(name, index, total)).toBe(expected);
  });
});

describe('statusOutcome and isTerminalStatus', () => {
  it.each([
    ['completed', 'completed'],
    ['Complete', 'completed'],
    ['done', 'completed'],
    ['SUCCESS', 'completed'],
    ['succeeded', 'completed'],
    ['failed', 'failed'],
    ['Error', 'failed'],
    ['failure', 'failed'],
    ['testing', null],
    ['self healing', null],
    ['in_progress', null],
    [null, null],
    [42, null],
  ])('%j → %j', (status, expected) => {
    expect(statusOutcome(status)).toBe(expected);
    expect(isTerminalStatus(status)).toBe(expected !== null);
  });
});

describe('phase names from Object.prototype', () => {
  it('are phases buildcast does not know, never a crash', () => {
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
    ]) {
      expect(canonicalPhase(name)).toBeUndefined();
      expect(isFinalPhase(name, null, null)).toBe(false);
      expect(statusOutcome(name)).toBeNull();
    }
  });
});
