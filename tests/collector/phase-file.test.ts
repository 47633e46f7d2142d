import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_BYTES,
  MAX_TEXT_LENGTH,
  compactTimestamp,
  parsePhaseFile,
  parsePhaseFileDetailed,
  parseTimestamp,
  slugify,
} from '../../src/collector/phase-file.js';
import {
  MAX_LIST_ENTRIES,
  MAX_NAME_LENGTH,
  MAX_PHASE_NUMBER_LENGTH,
  MAX_PHASES,
  MAX_STATUS_LENGTH,
  TRUNCATED,
} from '../../src/collector/limits.js';
import type { PhaseRecord } from '../../src/collector/types.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../fixtures/phase-files/${name}`, import.meta.url), 'utf8');

async function parseFixture(name: string): Promise<PhaseRecord> {
  const result = parsePhaseFile(await fixture(name));
  if (!result.ok) throw new Error(`${name}: ${result.problem.code}: ${result.problem.message}`);
  return result.value;
}

const START = '2026-11-20T14:02:11.000Z';

describe('parsePhaseFile: every drift in SPEC 1.1 reads as the same record', () => {
  it.each<[string, Partial<PhaseRecord>]>([
    [
      'canonical.json',
      {
        project: 'weather-app',
        currentPhase: 'Test',
        phaseNumber: '4/7',
        phaseIndex: 4,
        phaseTotal: 7,
        status: 'testing',
        progressDetail: 'Running unit tests (iteration 2)',
        testIteration: 2,
        phasesCompleted: ['Scout', 'Architect', 'Builder'],
        startedAt: START,
        lastUpdated: '2026-11-20T14:19:40.000Z',
        completionPercent: null,
        isComplete: null,
        phaseStartedAt: null,
        phaseEndedAt: null,
        extra: {},
      },
    ],
    [
      'camel-case.json',
      {
        project: 'weather-app',
        currentPhase: 'Builder',
        phaseNumber: '3/7',
        phaseIndex: 3,
        status: 'implementing',
        progressDetail: 'Writing src/api/forecast.ts',
        testIteration: 0,
        phasesCompleted: ['Scout', 'Architect'],
        startedAt: START,
        lastUpdated: '2026-11-20T14:10:05.000Z',
        extra: {},
      },
    ],
    [
      'mixed-case.json',
      {
        project: 'weather-app',
        currentPhase: 'Architect',
        phaseIndex: 2,
        phaseTotal: 7,
        status: 'designing',
        progressDetail: 'Choosing the data layer',
        phasesCompleted: ['Scout'],
        startedAt: START,
        lastUpdated: '2026-11-20T14:05:30.000Z',
        extra: {},
      },
    ],
    [
      'phase-info-wrapper.json',
      { project: 'weather-app', currentPhase: 'Scout', phaseNumber: '1/7', status: 'researching', extra: {} },
    ],
    [
      'phase-info-camel-wrapper.json',
      { project: 'weather-app', currentPhase: 'Deploy', phaseIndex: 6, phaseTotal: 8, status: 'deploying' },
    ],
    [
      'phase-number-fraction.json',
      { phaseNumber: '4.5/8', phaseIndex: 4.5, phaseTotal: 8, status: 'capturing' },
    ],
    ['phase-number-text.json', { phaseNumber: '6', phaseIndex: 6, phaseTotal: null }],
    [
      'phase-number-integer.json',
      { phaseNumber: '6', phaseIndex: 6, phaseTotal: null, status: 'configuring' },
    ],
    ['phase-number-missing.json', { currentPhase: 'Documentation', phaseNumber: null, phaseIndex: null }],
    ['status-title-case.json', { status: 'analyzing', currentPhase: 'Codebase Analysis', phaseIndex: 0 }],
    ['status-spaces.json', { status: 'self-healing', testIteration: 3 }],
    ['status-hyphen.json', { status: 'in-progress' }],
    ['status-underscore.json', { status: 'in-progress' }],
    ['status-upper.json', { status: 'completed', phaseNumber: '7.5/8', currentPhase: 'GitHub Integration' }],
    ['bom.json', { project: 'weather-app', currentPhase: 'Scout', status: 'starting', startedAt: START }],
    [
      'comma-separated-phases.json',
      { phasesCompleted: ['Scout', 'Architect', 'Builder'], testIteration: 2, startedAt: START },
    ],
    [
      'aliases.json',
      {
        project: 'weather-app',
        currentPhase: 'Test',
        phaseNumber: 'Phase 4/7',
        phaseIndex: 4,
        phaseTotal: 7,
        status: 'testing',
        progressDetail: 'Re-running flaky test',
        testIteration: 3,
        startedAt: '2026-11-20T14:02:11.250Z',
      },
    ],
  ])('%s', async (name, expected) => {
    expect(await parseFixture(name)).toMatchObject(expected);
  });

  it('keeps extra fields as written and maps nested timestamps and completionTracking', async () => {
    const record = await parseFixture('extra-fields.json');
    expect(record).toMatchObject({
      currentPhase: 'Builder',
      status: 'building',
      lastUpdated: '2026-11-20T14:12:30.000Z',
      phaseStartedAt: '2026-11-20T14:08:00.000Z',
      phaseEndedAt: null,
      isComplete: false,
      completionPercent: 42,
    });
    expect(record.extra).toEqual({
      parallel_execution: { enabled: true, workers: 6 },
      tasks_completed: 4,
      screenshots_captured: ['home.png', 'forecast.png'],
      timestamps: {
        phaseStart: '2026-11-20T14:08:00Z',
        phaseEnd: null,
        lastUpdated: '2026-11-20T14:12:30Z',
      },
      completionTracking: { isComplete: false, completionPercentage: 42 },
    });
  });

  it('reads every timestamp form as ISO UTC', async () => {
    expect(await parseFixture('timestamp-forms.json')).toMatchObject({
      startedAt: START,
      lastUpdated: '2026-11-20T14:19:40.000Z',
      phaseStartedAt: '2026-11-20T14:10:00.123Z',
      phaseEndedAt: '2026-11-20T14:19:40.500Z',
    });
  });

  it('turns wrongly typed fields into null, keeps them in extra and says why', async () => {
    const { result, fieldWarnings } = parsePhaseFileDetailed(await fixture('wrong-types.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      currentPhase: 'Test',
      testIteration: null,
      startedAt: null,
      lastUpdated: '2026-11-20T14:19:40.000Z',
      phasesCompleted: ['Scout', 'Builder'],
    });
    expect(result.value.extra).toEqual({ test_iteration: 'abc', started_at: 'yesterday afternoon' });
    expect(fieldWarnings).toEqual([
      'test_iteration: expected a whole number below 2^53, got "abc"',
      'phases_completed: dropped 3 entries that are not text',
      'started_at: expected a date and time, got "yesterday afternoon"',
    ]);
  });

  it('warns about a phase number it cannot place but still shows the text', () => {
    const { result, fieldWarnings } = parsePhaseFileDetailed(
      '{"current_phase":"Test","phase_number":"IV/VII"}',
    );
    expect(result.ok && result.value).toMatchObject({ phaseNumber: 'IV/VII', phaseIndex: null });
    expect(fieldWarnings).toEqual(['phase_number: could not read a number from "IV/VII"']);
  });

  it('prefers the first spelling when a build writes both, keeping the other in extra', () => {
    const result = parsePhaseFile('{"session_id":"a","sessionId":"b","status":"Testing"}');
    expect(result.ok && result.value).toMatchObject({
      project: 'a',
      status: 'testing',
      extra: { sessionId: 'b' },
    });
  });

  it('keeps the wrapper siblings beside an unwrapped record', () => {
    const result = parsePhaseFile('{"version":2,"PhaseInfo":{"current_phase":"Scout","status":"starting"}}');
    expect(result.ok && result.value).toMatchObject({ currentPhase: 'Scout', extra: { version: 2 } });
  });
});

describe('parsePhaseFile: files that cannot be read say why', () => {
  it.each([
    ['empty.json', 'empty', 'file is empty'],
    ['whitespace.json', 'empty', 'file is empty'],
    ['half-written.json', 'invalid-json', 'invalid JSON: '],
    ['invalid-json.json', 'invalid-json', 'invalid JSON: '],
    ['array.json', 'not-object', 'expected a JSON object, got an array'],
    ['number.json', 'not-object', 'expected a JSON object, got a number'],
    [
      'empty-object.json',
      'invalid-fields',
      'no phase fields found (expected current_phase, phase_number or status)',
    ],
    ['no-fields.json', 'invalid-fields', 'no phase fields found'],
  ])('%s → %s', async (name, code, message) => {
    const result = parsePhaseFile(await fixture(name));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe(code);
    expect(result.problem.message.startsWith(message)).toBe(true);
  });

  it('passes on the JSON parser message for a half-written file', async () => {
    const result = parsePhaseFile(await fixture('half-written.json'));
    expect(!result.ok && result.problem.message).toMatch(/^invalid JSON: .*(Unterminated|end of JSON)/);
  });

  it('treats a BOM followed by nothing as empty', () => {
    const result = parsePhaseFile('\uFEFF \n');
    expect(!result.ok && result.problem.code).toBe('empty');
  });

  it('lists the unreadable fields when nothing usable was found', () => {
    const result = parsePhaseFile('{"status": 5, "test_iteration": "abc"}');
    expect(!result.ok && result.problem).toEqual({
      code: 'invalid-fields',
      message:
        'no phase fields found (expected current_phase, phase_number or status): a phase update ' +
        'says at least which phase or status the build is in; status: expected text, got 5; test_iteration: expected a whole number below 2^53, got "abc"',
    });
  });
});

describe('parsePhaseFile: an update says where the build is (issue 10)', () => {
  it('refuses an object with names and details but no phase, phase number or status', () => {
    for (const body of [
      { session_id: 'weather-app', progress_detail: 'Reading the task' },
      { sessionId: 'weather-app', startedAt: '2026-11-20T14:02:11Z', testIteration: 2 },
      { session_id: 'weather-app', phases_completed: ['Scout'], last_updated: '2026-11-20T14:02:11Z' },
    ]) {
      const result = parsePhaseFile(JSON.stringify(body));
      expect(!result.ok && result.problem.code).toBe('invalid-fields');
    }
  });

  it('takes a phase, a phase number or a status alone, in any spelling it reads', () => {
    for (const body of [
      { currentPhase: 'Test' },
      { phase_name: 'Test' },
      { phaseNumber: 4 },
      { Status: 'Testing' },
      { PhaseInfo: { phase_status: 'testing' } },
    ]) {
      expect(parsePhaseFile(JSON.stringify(body)).ok).toBe(true);
    }
  });

  it('tells a Claude Code hook payload that hooks are not phase files, and where phase files go', () => {
    const hook = {
      session_id: 'abc123-4567-89ab-cdef',
      transcript_path: '/home/me/.claude/projects/-home-me-app/abc123.jsonl',
      cwd: '/home/me/app',
      permission_mode: 'default',
      hook_event_name: 'PostToolUse',
      tool_name: 'Write',
      tool_input: { file_path: '/home/me/app/a.ts', content: 'x' },
    };
    const result = parsePhaseFile(JSON.stringify(hook));
    expect(!result.ok && result.problem.code).toBe('invalid-fields');
    const message = result.ok ? '' : result.problem.message;
    expect(message).toContain('Claude Code hook payload (PostToolUse)');
    expect(message).toContain('hooks are not phase files');
    expect(message).toContain('.context-foundry/current-phase.json');
    expect(message).toContain('/v1/logs');
  });
});

describe('parsePhaseFile: size', () => {
  it('reads a file of several megabytes and cuts long strings to keep pages sane', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'buildcast-phase-'));
    try {
      const file = path.join(dir, 'current-phase.json');
      const detail = 'x'.repeat(3 * 1024 * 1024);
      const log = Array.from({ length: 20_000 }, (_, i) => `line ${i}: ${'y'.repeat(100)}`);
      await writeFile(
        file,
        JSON.stringify({
          session_id: 'big',
          current_phase: 'Test',
          status: 'testing',
          progress_detail: detail,
          log,
        }),
      );
      const text = await readFile(file, 'utf8');
      expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
      const result = parsePhaseFile(text);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.progressDetail).toHaveLength(MAX_TEXT_LENGTH);
      expect(result.value.progressDetail?.endsWith(`x${TRUNCATED}`)).toBe(true);
      // A long list kept as written keeps its first entries and says how many more there were.
      expect(result.value.extra.log).toHaveLength(MAX_LIST_ENTRIES + 1);
      expect((result.value.extra.log as string[]).at(-1)).toBe(`${TRUNCATED} 19000 more entries`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file over the limit and says how big it was', () => {
    const text = JSON.stringify({ current_phase: 'Test', progress_detail: 'é'.repeat(600) });
    const bytes = Buffer.byteLength(text);
    const result = parsePhaseFile(text, { maxBytes: 1000 });
    expect(!result.ok && result.problem).toEqual({
      code: 'too-large',
      message: `too large: ${bytes} bytes (limit 1000 bytes)`,
    });
    expect(parsePhaseFile(text, { maxBytes: bytes }).ok).toBe(true);
  });

  it('refuses a file over the default 16 MiB limit', () => {
    const text = `{"current_phase":"Test","pad":"${'z'.repeat(DEFAULT_MAX_BYTES)}"}`;
    const result = parsePhaseFile(text);
    expect(!result.ok && result.problem.code).toBe('too-large');
    expect(!result.ok && result.problem.message).toContain(`limit ${DEFAULT_MAX_BYTES} bytes`);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-20T14:02:11Z', START],
    ['2026-11-20T14:02:11', START],
    ['2026-11-20 14:02:11', START],
    ['2026-11-20T14:02:11.5Z', '2026-11-20T14:02:11.500Z'],
    ['2026-11-20T14:02:11.123456789', '2026-11-20T14:02:11.123Z'],
    ['2026-11-20T15:02:11+01:00', START],
    ['2026-11-20T09:02:11-0500', START],
    ['2026-11-20T14:02Z', '2026-11-20T14:02:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['Fri, 20 Nov 2026 14:02:11 GMT', START],
    [1795183331, START],
    [1795183331000, START],
    ['1795183331', START],
    [1795183331.25, '2026-11-20T14:02:11.250Z'],
    ['2026-02-30T10:00:00Z', null],
    ['2026-11-20T25:00:00Z', null],
    ['Fri Nov 20 2026 14:02:11', null],
    ['yesterday', null],
    ['', null],
    [0, null],
    [-5, null],
    [true, null],
    [null, null],
  ])('%j → %j', (value, expected) => {
    expect(parseTimestamp(value)).toBe(expected);
  });
});

describe('slugify and compactTimestamp', () => {
  it.each([
    ['weather-app', 'weather-app'],
    ['Weather App!', 'weather-app'],
    ['  --Café Déjà Vu--  ', 'cafe-deja-vu'],
    ['../../etc/passwd', 'etc-passwd'],
    ['日本語', 'session'],
    ['', 'session'],
    ['a'.repeat(59) + '-b', 'a'.repeat(59)],
    ['x'.repeat(100), 'x'.repeat(60)],
  ])('slugify(%j) → %j', (text, expected) => {
    expect(slugify(text)).toBe(expected);
  });

  it.each([
    ['2026-11-20T14:02:11.000Z', '20261120T140211Z'],
    ['2026-11-20T14:02:11.999Z', '20261120T140211Z'],
    ['2026-11-20T15:02:11+01:00', '20261120T140211Z'],
    ['not a time', 'notatime'],
    ['', 'unknown'],
  ])('compactTimestamp(%j) → %j', (iso, expected) => {
    expect(compactTimestamp(iso)).toBe(expected);
  });

  it('builds the session id the SPEC gives as an example', () => {
    expect(`${slugify('weather-app')}-${compactTimestamp(START)}`).toBe('weather-app-20261120T140211Z');
  });
});

describe('parsePhaseFile: hostile files are values or problems, never crashes', () => {
  const read = (fields: Record<string, unknown>) => {
    const result = parsePhaseFile(JSON.stringify(fields));
    if (!result.ok) throw new Error(result.problem.message);
    return result.value;
  };

  it('reads Object.prototype names as the text they are', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const record = read({ current_phase: name, status: name, phases_completed: [name, 'Scout'] });
      expect(record).toMatchObject({ currentPhase: name, phasesCompleted: [name, 'Scout'] });
    }
    const keys = parsePhaseFile('{"constructor": 1, "__proto__": {"status": "x"}, "current_phase": "Test"}');
    expect(keys.ok && keys.value.extra).toEqual(
      JSON.parse('{"constructor": 1, "__proto__": {"status": "x"}}'),
    );
  });

  it('refuses a file nested 10,000 levels deep', () => {
    const text = `{"current_phase":"Test","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(parsePhaseFile(text)).toMatchObject({ ok: false, problem: { code: 'too-deep' } });
  });

  it('keeps the first 64 of 25,000 completed phases and says so', () => {
    const names = Array.from({ length: 25_000 }, (_, i) => `p${i}`);
    const record = read({ current_phase: 'Builder', phases_completed: names });
    expect(record.phasesCompleted).toEqual(names.slice(0, MAX_PHASES));
    expect(record.warnings).toEqual([`phases_completed: kept the first 64 of 25000 phases`]);
  });

  it('refuses counts beyond 2^53 with a warning', () => {
    const record = read({ current_phase: 'Test', test_iteration: 2 ** 53 });
    expect(record.testIteration).toBeNull();
    expect(record.warnings).toEqual([`test_iteration: expected a whole number below 2^53, got ${2 ** 53}`]);
    expect(read({ current_phase: 'Test', test_iteration: 2 ** 53 - 1 }).testIteration).toBe(2 ** 53 - 1);
  });

  it('cuts a 10 MB progress detail, and long names, status words and phase numbers', () => {
    const record = read({
      session_id: 'p'.repeat(10_000),
      current_phase: 'c'.repeat(10_000),
      status: 's'.repeat(1_000_000),
      phase_number: '4'.repeat(10_000),
      progress_detail: 'x'.repeat(10 * 1024 * 1024),
      phases_completed: ['n'.repeat(10_000)],
    });
    expect(record.progressDetail).toHaveLength(MAX_TEXT_LENGTH);
    expect(record.progressDetail?.endsWith(TRUNCATED)).toBe(true);
    for (const name of [record.project, record.currentPhase, record.phasesCompleted[0]]) {
      expect(name).toHaveLength(MAX_NAME_LENGTH);
      expect(name?.endsWith(TRUNCATED)).toBe(true);
    }
    expect(record.status).toHaveLength(MAX_STATUS_LENGTH);
    expect(record.phaseNumber).toHaveLength(MAX_PHASE_NUMBER_LENGTH);
    expect(record).toMatchObject({ phaseIndex: null, phaseTotal: null });
  });

  it('quotes a huge wrong-typed value in its warning without copying it', () => {
    const result = parsePhaseFileDetailed(
      JSON.stringify({ current_phase: 'Test', test_iteration: Array.from({ length: 100_000 }, () => 1) }),
    );
    expect(result.fieldWarnings).toEqual([
      'test_iteration: expected a whole number below 2^53, got [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,...',
    ]);
  });
});
