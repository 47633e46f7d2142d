/**
 * The one scheduler, on a fake clock: tasks are plain promises the test resolves, so each test
 * decides both when a window closes and when a run ends.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { Scheduler } from '../../src/shared/scheduler.js';

/** A task whose runs are counted and each held open until the test lets it end. */
function gate() {
  const starts: number[] = [];
  const ends: Array<() => void> = [];
  let running = 0;
  let overlapped = false;
  const clock = new FakeClock(0);
  const task = () => {
    starts.push(clock.now());
    running += 1;
    if (running > 1) overlapped = true;
    return new Promise<void>((resolve) =>
      ends.push(() => {
        running -= 1;
        resolve();
      }),
    );
  };
  /** Ends the oldest run still going and lets the scheduler react. */
  const finish = async () => {
    ends.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, task, starts, finish, overlapped: () => overlapped, running: () => running };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('scheduler', () => {
  it('says a key is pending while its window is open, a run is owed or one is going on', async () => {
    const { clock, task, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    expect(scheduler.isPending('phase')).toBe(false);
    scheduler.schedule('phase', task);
    expect(scheduler.isPending('phase')).toBe(true);
    clock.advance(100);
    expect(scheduler.isPending('phase')).toBe(true);
    await finish();
    expect(scheduler.isPending('phase')).toBe(false);
    expect(scheduler.isPending('other')).toBe(false);
  });

  it('runs once at the end of a window that opens at the first event', async () => {
    const { clock, task, starts, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    clock.advance(40);
    scheduler.schedule('a', task);
    clock.advance(59);
    expect(starts).toEqual([]);
    clock.advance(1);
    expect(starts).toEqual([100]);
    await finish();
    await scheduler.settle();
    clock.advance(1_000);
    expect(starts).toEqual([100]);
  });

  it('is not put off by steady events every 10 ms', async () => {
    const { clock, task, starts, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    for (let i = 0; i < 100; i++) {
      scheduler.schedule('transcript.jsonl', task);
      clock.advance(10);
      await finish();
    }
    // A second of appends: about one run per window, never none.
    expect(starts.length).toBeGreaterThanOrEqual(9);
    expect(starts[0]).toBe(100);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(110);
  });

  it('never overlaps runs of one key, and an event during a run asks for exactly one more', async () => {
    const { clock, task, starts, finish, overlapped, running } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    clock.advance(100);
    expect(running()).toBe(1);
    // Three events and two closed windows while the first run is still going.
    for (let i = 0; i < 3; i++) {
      scheduler.schedule('a', task);
      clock.advance(100);
    }
    expect(starts).toEqual([100]);
    await finish();
    expect(starts).toEqual([100, 400]);
    await finish();
    await scheduler.settle();
    clock.advance(1_000);
    expect(starts).toEqual([100, 400]);
    expect(overlapped()).toBe(false);
  });

  it('keeps the window of an event during a run: the next run waits for it to close', async () => {
    const { clock, task, starts, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    clock.advance(100);
    clock.advance(10);
    scheduler.schedule('a', task);
    await finish();
    expect(starts).toEqual([100]);
    clock.advance(100);
    expect(starts).toEqual([100, 210]);
    await finish();
  });

  it('runs independent keys independently', async () => {
    const { clock, task, starts, finish, running } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    clock.advance(50);
    scheduler.schedule('b', task);
    clock.advance(50);
    expect(starts).toEqual([100]);
    clock.advance(50);
    // b's run starts though a's is still going.
    expect(starts).toEqual([100, 150]);
    expect(running()).toBe(2);
    await finish();
    await finish();
    await scheduler.settle();
  });

  it('runs a task now with run(), after the current run, in place of an owed one', async () => {
    const { clock, task, starts, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    clock.advance(100);
    scheduler.schedule('a', task);
    clock.advance(100);
    let ran = false;
    const asked = scheduler.run('a', task).then(() => (ran = true));
    await turn();
    expect(starts).toEqual([100]);
    await finish();
    // The owed run and the asked-for one are one run.
    expect(starts).toEqual([100, 200]);
    expect(ran).toBe(false);
    await finish();
    await asked;
    expect(ran).toBe(true);
    clock.advance(1_000);
    expect(starts).toHaveLength(2);
  });

  it('leaves an open window open when a run is asked for', async () => {
    const { clock, task, starts, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    const asked = scheduler.run('a', task);
    expect(starts).toEqual([0]);
    await finish();
    await asked;
    clock.advance(100);
    expect(starts).toEqual([0, 100]);
    await finish();
  });

  it('flush closes every open window now and waits for the runs', async () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', async () => void seen.push('a'));
    scheduler.schedule('b', async () => void seen.push('b'));
    expect(scheduler.waiting).toBe(2);
    await scheduler.flush();
    expect(seen.sort()).toEqual(['a', 'b']);
    expect(scheduler.waiting).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('cancel forgets a key; close lets a running task end and ignores later events', async () => {
    const { clock, task, starts, finish } = gate();
    const scheduler = new Scheduler({ clock, windowMs: 100 });
    scheduler.schedule('a', task);
    scheduler.cancel('a');
    clock.advance(1_000);
    expect(starts).toEqual([]);

    scheduler.schedule('b', task);
    clock.advance(100);
    scheduler.schedule('b', task);
    clock.advance(100);
    let closed = false;
    const closing = scheduler.close().then(() => (closed = true));
    await turn();
    expect(closed).toBe(false);
    await finish();
    await closing;
    scheduler.schedule('b', task);
    clock.advance(1_000);
    expect(starts).toEqual([1_100]);
    expect(clock.pending).toBe(0);
  });

  it('reports a task that throws and goes on scheduling that key', async () => {
    const clock = new FakeClock(0);
    const errors: string[] = [];
    let calls = 0;
    const scheduler = new Scheduler({
      clock,
      windowMs: 10,
      onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`),
    });
    const task = async () => {
      calls += 1;
      if (calls === 1) throw new Error('disk on fire');
    };
    scheduler.schedule('a', task);
    clock.advance(10);
    await scheduler.settle();
    scheduler.schedule('a', task);
    clock.advance(10);
    await scheduler.settle();
    expect(errors).toEqual(['a: disk on fire']);
    expect(calls).toBe(2);
  });
});
