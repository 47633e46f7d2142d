import { describe, expect, it } from 'vitest';
import { formatNumber, goal, info, renderTable } from '../../bench/report.js';
import { serverTimingMs } from '../../bench/http-timing.js';
import { compactTime, sessionIdOf } from '../../bench/phase.js';
import { WriteLog } from '../../bench/write-log.js';

describe('renderTable', () => {
  it('prints each figure with its value, target and verdict, and counts the targets met', () => {
    const table = renderTable([
      {
        name: 'push',
        seconds: 21.4,
        figures: [
          goal('buildcast requests/s', 2_076.4, 'req/s', '>=', 3_000),
          info('floor requests/s', 7_549, 'req/s'),
        ],
        details: {},
      },
      { name: 'storage', seconds: 3, figures: [], details: {}, error: 'timed out after 120 s' },
    ]);
    expect(table).toMatch(/buildcast requests\/s\s+2,076 req\/s\s+>= 3,000 req\/s\s+short/);
    expect(table).toMatch(/floor requests\/s\s+7,549 req\/s\s+-/);
    expect(table).toContain('storage (3 s): FAILED: timed out after 120 s');
    expect(table).toContain('0 of 1 targets met, 1 short');
  });

  it('shows an unknown value as n/a', () => {
    expect(formatNumber(null)).toBe('n/a');
    expect(formatNumber(3.456)).toBe('3.46');
    expect(formatNumber(13.72)).toBe('13.7');
  });
});

describe('bench helpers', () => {
  it('sums the durations of a Server-Timing header', () => {
    expect(serverTimingMs('render;dur=12.5, db;dur=3')).toBe(15.5);
    expect(serverTimingMs(undefined)).toBeNull();
    expect(serverTimingMs('cache;desc="hit"')).toBeNull();
  });

  it('predicts the session id buildcast gives a benchmark build', () => {
    expect(compactTime('2026-11-20T14:02:11Z')).toBe('20261120T140211Z');
    expect(sessionIdOf('p17', '2026-11-20T14:02:11Z')).toBe('p17-20261120T140211Z');
  });

  it('counts the frames a measured write never delivered once it is retired', () => {
    const log = new WriteLog(3, 1_000);
    log.add('w1', { sessionId: 's', t0: 0, measured: true, received: 2 });
    log.add('w2', { sessionId: 's', t0: 500, measured: false, received: 0 });
    log.add('w3', { sessionId: 's', t0: 900, measured: true, received: 3 });
    log.prune(1_200);
    expect(log.get('w1')).toBeUndefined();
    expect(log.get('w3')).toBeDefined();
    expect(log.missingDeliveries).toBe(1);
    log.finish();
    expect(log.missingDeliveries).toBe(1);
    expect(log.measuredWrites).toBe(2);
  });
});
