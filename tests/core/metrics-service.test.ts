/**
 * Requests that fit no build yet wait a little for one (a build's agent starts before it writes
 * its first phase file), then make a plain Claude Code session of their own.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { TokenSample } from '../../src/collector/types.js';
import { parsePhaseFile } from '../../src/collector/phase-file.js';
import { HOLD_MS, MetricsService } from '../../src/core/metrics-service.js';
import { SessionRegistry } from '../../src/core/registry.js';
import { openStore } from '../../src/store/store.js';
import { WriteCoalescer } from '../../src/store/write-coalescer.js';

function setup() {
  const clock = new FakeClock('2026-11-20T14:00:00Z');
  const store = openStore(':memory:');
  const registry = new SessionRegistry({ store, writer: new WriteCoalescer({ store, clock }), clock });
  const metrics = new MetricsService({
    store,
    registry,
    clock,
    prices: { costOf: () => null, contextWindow: () => null },
  });
  registry.changes.on('session', (session) => metrics.sessionChanged(session));
  return { clock, store, registry, metrics };
}

const sample = (clock: FakeClock, key: string): TokenSample => ({
  key,
  source: 'transcript',
  claudeSessionId: 'cc-1',
  cwd: '/builds/weather/src',
  project: null,
  at: clock.now(),
  model: 'claude-sonnet-4-5',
  input: 10,
  output: 20,
  cacheRead: 0,
  cacheWrite: 0,
  costUsd: null,
  sidechain: false,
});

function build(registry: SessionRegistry, clock: FakeClock) {
  const raw = JSON.stringify({
    session_id: 'weather-app',
    current_phase: 'Scout',
    status: 'researching',
    started_at: new Date(clock.now()).toISOString(),
  });
  const parsed = parsePhaseFile(raw);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  registry.apply({
    source: 'live',
    record: parsed.value,
    raw,
    workdir: '/builds/weather',
    file: '/builds/weather/.context-foundry/current-phase.json',
    observedAt: clock.now(),
    dataTime: clock.now(),
  });
}

describe('requests that come before their build', () => {
  it('wait for the build to appear and then count for it, with no session of their own', () => {
    const { clock, registry, metrics, store } = setup();
    metrics.ingest([sample(clock, 'req:1')]);
    expect(registry.size).toBe(0);
    clock.advance(30_000);
    build(registry, clock);
    metrics.flush();
    expect(registry.size).toBe(1);
    expect(metrics.metrics('weather-app-20261120T140030Z')!.tokens.requests).toBe(1);
    clock.advance(HOLD_MS);
    expect(registry.size).toBe(1);
    metrics.close();
    store.close();
  });

  it('make a plain Claude Code session when no build comes', () => {
    const { clock, registry, metrics, store } = setup();
    metrics.ingest([sample(clock, 'req:1')]);
    clock.advance(HOLD_MS - 1);
    expect(registry.size).toBe(0);
    clock.advance(1);
    metrics.flush();
    const [only] = registry.entries();
    expect(only!.session).toMatchObject({ project: 'src', source: 'transcript' });
    expect(metrics.metrics(only!.session.id)!.tokens.requests).toBe(1);
    metrics.close();
    store.close();
  });
});
