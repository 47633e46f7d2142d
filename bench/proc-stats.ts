/**
 * @module
 * A child's CPU time and memory as the kernel sees them (`/proc/<pid>/stat` and `status`:
 * utime + stime, VmRSS, VmHWM), and its V8 heap through the memory probe (bench/mem-probe.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Child } from './lib.js';

/** CPU time and memory of a process, from `/proc` (Linux); null elsewhere. */
export interface ProcStats {
  /** User plus system CPU seconds since the process started. */
  cpuSeconds: number;
  /** Resident set size now, in bytes. */
  rssBytes: number;
  /** Peak resident set size (VmHWM), in bytes. */
  peakRssBytes: number;
}

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Reads `/proc/<pid>/stat` (utime, stime) and `/proc/<pid>/status` (VmRSS, VmHWM). */
export function procStats(pid: number): ProcStats | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces); utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { cpuSeconds: ticks / ticksPerSecond(), rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Bytes to mebibytes, rounded to one decimal. */
export const mb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined || Number.isNaN(bytes)
    ? null
    : Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A V8 memory sample from a child started with the memory probe. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** Asks a probed child for its memory after a full GC; null if it does not answer in time. */
export function sampleMemory(child: Child, timeoutMs = 2_000): Promise<MemorySample | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (sample: MemorySample | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(sample);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const unsubscribe = child.onStderr((line) => {
      if (line.startsWith('bench-mem ')) finish(JSON.parse(line.slice('bench-mem '.length)) as MemorySample);
    });
    try {
      process.kill(child.pid, 'SIGUSR2');
    } catch {
      finish(null);
    }
  });
}
