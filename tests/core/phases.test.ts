import { describe, expect, it } from 'vitest';
import {
  CANONICAL_PHASES,
  canonicalPhase,
  isFinalPhase,
  isTerminalStatus,
  normalizeStatus,
  parsePhaseNumber,
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

describe('parsePhaseNumber', () => {
  it.each([
    ['4/7', { text: '4/7', index: 4, total: 7 }],
    ['4.5/8', { text: '4.5/8', index: 4.5, total: 8 }],
    ['6', { text: '6', index: 6, total: null }],
    [6, { text: '6', index: 6, total: null }],
    [4.5, { text: '4.5', index: 4.5, total: null }],
    [0, { text: '0', index: 0, total: null }],
    [' 4 / 7 ', { text: '4 / 7', index: 4, total: 7 }],
    ['Phase 4/7', { text: 'Phase 4/7', index: 4, total: 7 }],
    ['phase 7.5 of 8', { text: 'phase 7.5 of 8', index: 7.5, total: 8 }],
    ['3/0', { text: '3/0', index: 3, total: null }],
    ['four of seven', { text: 'four of seven', index: null, total: null }],
    ['4/7/9', { text: '4/7/9', index: null, total: null }],
    [-1, { text: '-1', index: null, total: null }],
    ['', { text: null, index: null, total: null }],
    ['   ', { text: null, index: null, total: null }],
    [undefined, { text: null, index: null, total: null }],
    [null, { text: null, index: null, total: null }],
    [Number.NaN, { text: null, index: null, total: null }],
    [true, { text: null, index: null, total: null }],
    [{ index: 4 }, { text: null, index: null, total: null }],
  ])('reads %j', (value, expected) => {
    expect(parsePhaseNumber(value)).toEqual(expected);
  });
});

describe('normalizeStatus', () => {
  it.each([
    ['testing', 'testing'],
    ['Analyzing', 'analyzing'],
    ['Self Healing', 'self-healing'],
    ['self healing', 'self-healing'],
    ['in_progress', 'in-progress'],
    ['In-Progress', 'in-progress'],
    ['in progress', 'in-progress'],
    ['  COMPLETED \n', 'completed'],
    ['in -_ progress', 'in-progress'],
    ['_failed_', 'failed'],
    ['', null],
    [' - ', null],
    [null, null],
    [3, null],
  ])('turns %j into %j', (value, expected) => {
    expect(normalizeStatus(value)).toBe(expected);
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
