import { describe, expect, it } from 'vitest';
import { normalizeStatus, parsePhaseNumber } from '../../src/collector/phase-number.js';

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
