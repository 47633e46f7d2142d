import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/shared/emitter.js';

type Events = { change: [id: string, n: number]; done: [] };

describe('Emitter', () => {
  it('calls listeners in the order they were added, with the event arguments', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on('change', (id, n) => seen.push(`first ${id} ${n}`));
    emitter.on('change', (id, n) => seen.push(`second ${id} ${n}`));
    emitter.on('done', () => seen.push('done'));
    emitter.emit('change', 'a', 1);
    emitter.emit('done');
    expect(seen).toEqual(['first a 1', 'second a 1', 'done']);
  });

  it('stops calling a removed listener', () => {
    const emitter = new Emitter<Events>();
    let calls = 0;
    const off = emitter.on('done', () => calls++);
    emitter.emit('done');
    off();
    emitter.emit('done');
    expect(calls).toBe(1);
  });

  it('reports a listener that throws and still calls the others', () => {
    const errors: string[] = [];
    const emitter = new Emitter<Events>((error, event) =>
      errors.push(`${String(event)}: ${(error as Error).message}`),
    );
    let reached = false;
    emitter.on('done', () => {
      throw new Error('broken listener');
    });
    emitter.on('done', () => (reached = true));
    emitter.emit('done');
    expect(reached).toBe(true);
    expect(errors).toEqual(['done: broken listener']);
  });
});

describe('Emitter ordering', () => {
  it('delivers an event raised by a listener after the current one, so every listener sees them in order', () => {
    const emitter = new Emitter<{ state: [version: number] }>();
    const first: number[] = [];
    const last: number[] = [];
    emitter.on('state', (version) => {
      first.push(version);
      // This listener causes a newer state while the older one is still being delivered.
      if (version === 1) emitter.emit('state', 2);
    });
    emitter.on('state', (version) => last.push(version));
    emitter.emit('state', 1);
    expect(first).toEqual([1, 2]);
    expect(last).toEqual([1, 2]);
  });
});
