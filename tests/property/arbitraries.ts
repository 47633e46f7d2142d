/**
 * Hostile input for property tests: text with lone surrogates and control characters, the
 * names of `Object.prototype`'s members, long strings, huge arrays, JSON nested far past any
 * limit, and numbers beyond 2^53. Most cases are small and a few are large, so several thousand
 * seeded cases per parser run in a few seconds; the seed is fixed so every run is the same.
 */
import fc from 'fast-check';

/** One seed for every property, so a failure is reproduced by running the file again. */
export const SEED = 20_261_120;

/** fast-check options: the fixed seed and `numRuns` cases. */
export const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

/** Keys and words that a plain-object lookup would find on `Object.prototype`. */
export const PROTOTYPE_KEYS = [
  'constructor',
  '__proto__',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__lookupSetter__',
] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const oddCharacter = fc.constantFrom(
  '😀',
  '\u0000',
  '\u001b[31m',
  '"',
  '\\',
  '{',
  '[',
  '\n',
  '\r',
  '\ufeff',
  'é',
);

/** Text as builds write it and as an attacker would: short, odd characters, prototype names. */
export const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(loneSurrogate, oddCharacter), { maxLength: 12 }).map((a) => a.join('')),
  },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
);

/** A long string, 1,000 to 20,000 characters of one repeated unit (spaces, dots, surrogates...). */
export const longText = fc
  .tuple(
    fc.constantFrom('x', ' ', '.', '1', ' :', '😀', '\ud800', '- ', '1ms ', '"', '{'),
    fc.integer({ min: 1_000, max: 20_000 }),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** Numbers that are no counts (beyond 2^53, fractions, negatives) beside ordinary ones. */
export const number = fc.oneof(
  fc.integer({ min: -10, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    2 ** 53,
    2 ** 53 + 2,
    2 ** 60,
    -(2 ** 60),
    1e300,
    -1,
    0.5,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
);

/** Numbers as text, the way builds and OTLP exporters also send them. */
export const numberText = fc.oneof(
  number.map(String),
  fc.constantFrom('9007199254740993', '1e400', '12abc', '-0', '0x10', ' 7 ', '4/7', '4.5/8', ''),
);

const scalar = fc.oneof(text, number, numberText, fc.boolean(), fc.constant(null));

/** A key: a field some parser reads (given), an `Object.prototype` name, or any text. */
export const keyOf = (fields: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fields) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );

/** An object built from entries, so `__proto__` is an own key as `JSON.parse` makes it. */
const objectOf = (key: fc.Arbitrary<string>, value: fc.Arbitrary<unknown>, maxKeys = 8) =>
  fc.array(fc.tuple(key, value), { maxLength: maxKeys }).map((entries) => Object.fromEntries(entries));

/** A fact that must hold; a failure names the case. */
export function check(holds: boolean, what: string): void {
  if (!holds) throw new Error(what);
}

/** A long list: up to 30,000 phase names or numbers, or up to 3,000 small objects. */
const hugeArray = fc.oneof(
  fc.integer({ min: 1_000, max: 30_000 }).map((length) => Array.from({ length }, (_, i) => `p${i}`)),
  fc.integer({ min: 1_000, max: 30_000 }).map((length) => Array.from({ length }, (_, i) => i)),
  fc
    .integer({ min: 100, max: 3_000 })
    .map((length) => Array.from({ length }, (_, i) => ({ id: `t${i}`, n: i }))),
);

/** Small JSON values keyed with `fields` (and hostile keys), a few levels deep. */
export function jsonValue(fields: readonly string[]): fc.Arbitrary<unknown> {
  const key = keyOf(fields);
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { weight: 6, arbitrary: scalar },
      { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
      { weight: 3, arbitrary: objectOf(key, tie('value')) },
    ),
  }));
  return value;
}

/** Something large: a long string or a list of up to 30,000 entries. */
export const largeValue: fc.Arbitrary<unknown> = fc.oneof(longText, hugeArray);

/**
 * A JSON object whose keys are mostly the given fields, with hostile values; one case in ten
 * also holds something large under one of the fields.
 */
export const jsonObject = (fields: readonly string[], maxKeys = 12): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      objectOf(keyOf(fields), jsonValue(fields), maxKeys),
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...fields), largeValue) },
      ),
    )
    .map(([object, large]) => (large === null ? object : { ...object, [large[0]]: large[1] }));

/** JSON text nested `depth` levels, as arrays or objects, around `inner`. */
export const nestedText = (depth: number, inner = '1', object = false): string =>
  object
    ? `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** Deep JSON text: from just under the depth limit to 12,000 levels, alone or inside an object. */
export const deepText = fc
  .tuple(fc.integer({ min: 60, max: 12_000 }), fc.boolean(), fc.constantFrom('', '{"status":"testing","x":'))
  .map(([depth, object, prefix]) => `${prefix}${nestedText(depth, '1', object)}${prefix === '' ? '' : '}'}`);

/** Text a file parser may be handed: JSON of the value, JSON cut short, deep JSON, or garbage. */
export const fileText = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.tuple(value, fc.nat()).map(([v, n]) => {
        const json = JSON.stringify(v) ?? '';
        return json.slice(0, json.length === 0 ? 0 : n % json.length);
      }),
    },
    { weight: 1, arbitrary: deepText },
    { weight: 1, arbitrary: fc.oneof(text, longText) },
  );

/** The largest string, longest array and deepest nesting in a value, walked without recursion. */
export function measure(value: unknown): { longestText: number; longestList: number; depth: number } {
  const found = { longestText: 0, longestList: 0, depth: 0 };
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'string') found.longestText = Math.max(found.longestText, item.length);
    if (typeof item !== 'object' || item === null) continue;
    found.depth = Math.max(found.depth, depth + 1);
    const children = Array.isArray(item) ? item : Object.values(item);
    if (Array.isArray(item)) found.longestList = Math.max(found.longestList, item.length);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return found;
}

/**
 * Output bounded by its input: what a parser returns is never more than a fixed multiple of what
 * it was given (escapes and short warnings can make small input grow, so a constant is allowed).
 */
export function boundedBy(input: number, output: unknown): boolean {
  return (JSON.stringify(output) ?? '').length <= 12 * input + 20_000;
}

/** Every field alias the phase file parser reads, in the spellings builds use. */
export const PHASE_FIELDS = [
  'session_id',
  'sessionId',
  'project',
  'current_phase',
  'currentPhase',
  'phase',
  'phase_number',
  'phaseNumber',
  'status',
  'Status',
  'progress_detail',
  'progressDetail',
  'test_iteration',
  'iteration',
  'phases_completed',
  'phasesCompleted',
  'started_at',
  'last_updated',
  'timestamp',
  'timestamps',
  'phaseStart',
  'lastUpdated',
  'completionTracking',
  'completionPercentage',
  'isComplete',
  'PhaseInfo',
  'workdir',
];

/** The fields of a checkpoint's `state.json` and `progress.json` (SPEC 1.3). */
export const CHECKPOINT_FIELDS = [
  'project_name',
  'task_description',
  'session_id',
  'start_time',
  'iterations',
  'completed_tasks',
  'failed_attempts',
  'current_phase',
  'last_phase',
  'artifacts',
  'last_iteration_time',
  'completed',
  'remaining',
  'notes',
];

/** The fields of `session-summary.json` and `build-tasks.json` (SPEC 1.4), in both spellings. */
export const SIDE_FILE_FIELDS = [
  'status',
  'phases_completed',
  'files_created',
  'tests_passing',
  'testsPassing',
  'total_tests',
  'test_pass_rate',
  'duration_minutes',
  'completed_at',
  'summary',
  'tasks',
  'build_tasks',
  'id',
  'name',
  'state',
  'dependencies',
  'depends_on',
  'files',
  'agent',
  'error',
  'message',
];

/** The envelope and data fields of an `events.jsonl` line (SPEC 1.4). */
export const EVENT_FIELDS = [
  'type',
  'event',
  'session_id',
  'timestamp',
  'sequence',
  'data',
  'payload',
  'from',
  'to',
  'phase',
  'status',
  'iteration',
  'passed',
  'failed',
  'detail',
  'message',
  'line',
  'level',
  'severity',
  'tokens',
  'percent',
  'task_name',
  'agent_id',
  'error',
];

/** The fields of `POST /api/agent-update` (SPEC 1.7), in both spellings. */
export const AGENT_FIELDS = [
  'session_id',
  'sessionId',
  'agent_id',
  'agentId',
  'id',
  'agent_type',
  'agent_name',
  'name',
  'status',
  'state',
  'phase',
  'progress_percent',
  'progress',
  'tokens_used',
  'tokensUsed',
  'error_message',
];
