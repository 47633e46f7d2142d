/** Which files of a build folder are read, by name and place. */
import { describe, expect, it } from 'vitest';
import {
  eventLogWorkdir,
  isPhaseFile,
  isSideFile,
  logFileWorkdir,
  workdirOf,
} from '../../src/collector/build-files.js';

describe('build files', () => {
  it('recognizes only phase files in a .context-foundry folder', () => {
    expect(isPhaseFile('/w/app/.context-foundry/current-phase.json')).toBe(true);
    expect(isPhaseFile('/w/app/current-phase.json')).toBe(false);
    expect(isPhaseFile('/w/app/.context-foundry/session-summary.json')).toBe(false);
    expect(workdirOf('/w/app/.context-foundry/current-phase.json')).toBe('/w/app');
  });

  it('recognizes the side files, and only in .context-foundry', () => {
    for (const name of [
      'test-iteration-count.txt',
      'test-results-iteration-3.md',
      'session-summary.json',
      'build-tasks.json',
    ]) {
      expect(isSideFile(`/w/app/.context-foundry/${name}`)).toBe(true);
      expect(isSideFile(`/w/app/${name}`)).toBe(false);
    }
    expect(isSideFile('/w/app/.context-foundry/test-results-iteration-x.md')).toBe(false);
  });

  it('finds the work directory of an event log, in the work directory or under .context-foundry', () => {
    expect(eventLogWorkdir('/w/app/logs/events/s1/events.jsonl')).toBe('/w/app');
    expect(eventLogWorkdir('/w/app/.context-foundry/logs/events/s1/events.jsonl')).toBe('/w/app');
    expect(eventLogWorkdir('/w/app/logs/other/s1/events.jsonl')).toBeNull();
    expect(eventLogWorkdir('/w/app/logs/events/s1/other.jsonl')).toBeNull();
  });

  it('finds the work directory of a build log file', () => {
    expect(logFileWorkdir('/w/app/.context-foundry/build.log')).toBe('/w/app');
    expect(logFileWorkdir('/w/app/.context-foundry/logs/test.log')).toBe('/w/app');
    expect(logFileWorkdir('/w/app/logs/test.log')).toBeNull();
    expect(logFileWorkdir('/w/app/.context-foundry/build.txt')).toBeNull();
  });
});
