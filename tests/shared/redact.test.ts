/**
 * Redaction for streaming: what a build writes loses its paths, addresses, credentials and
 * secrets and keeps everything a viewer reads (counts, phase names, 4/7), whatever surrounds it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretRun, PLACEHOLDERS, redactText } from '../../src/shared/redact.js';

const { path, email, url, secret } = PLACEHOLDERS;

describe('redactText', () => {
  it.each([
    ['Editing /home/alice/projects/weather/src/app.ts', `Editing ${path}`],
    ['cwd=/Users/bob/code/x (ok)', `cwd=${path} (ok)`],
    ['cwd:/home/alice/x', `cwd:${path}`],
    ['at /srv/build/app.js:12:5', `at ${path}:12:5`],
    ['open ~/code/weather and ~carol/x', `open ${path} and ${path}`],
    ['$HOME/.claude/projects', path],
    ['C:\\Users\\Alice Smith\\repo\\x.ts', path],
    ['D:/work/app and \\\\nas\\share\\builds', `${path} and ${path}`],
    ['see file:///home/bob/x.html', `see ${path}`],
    ['mail alice.smith+ci@example.co.uk now', `mail ${email} now`],
    ['clone https://alice:hunter2@github.com/org/repo.git', `clone ${url}`],
    ['push https://ghp_abc@github.com/o/r', `push ${url}`],
    ['key sk-ant-api03-Abcdefghijklmnop_qrstuvwxyz-0123456789', `key ${secret}`],
    ['OPENAI sk-proj-abcdefghijklmnopqrstuvwxyz012345', `OPENAI ${secret}`],
    [
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789 github_pat_11ABCDEFG0123456789_abcdefghij',
      `${secret} ${secret}`,
    ],
    ['AKIAIOSFODNN7EXAMPLE in us-east-1', `${secret} in us-east-1`],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      `jwt ${secret}`,
    ],
    ['Authorization: Bearer abcdef123456789', `Authorization: Bearer ${secret}`],
    ['API_KEY=abc123def456 and "password": "hunter2"', `API_KEY=${secret} and "password": "${secret}"`],
    ['?access_token=a1b2c3d4&page=2', `?access_token=${secret}&page=2`],
    ['md5 d41d8cd98f00b204e9800998ecf8427e', `md5 ${secret}`],
    ['blob QWxhZGRpbjpvcGVuIHNlc2FtZQ9aZ3VkL2hrS2tLa0pKamhmZ3VkYTk4Nw==', `blob ${secret}`],
  ])('redacts %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    'Test 4/7 self-healing: Running unit tests (iteration 2)',
    '12 passed, 2 failed · 1.2M tokens · $3.40 · 57%',
    'installed react@18.2.0 and vite@5.0.0-beta.3',
    'see https://example.com/docs/a/b for details',
    'weather-app-20261120T140211Z and my-really-long-project-name-20261120T140211Z',
    'packages/web-app/src/components/Header2Bar.tsx',
    'max_tokens: 4096, tokens: 12k, Bearer tokens',
    'GitHub Integration 7.5/8 · N/A · and/or · 2026/11/20 · phase 4 /7',
    'localhost:8080 answered 200',
  ])('keeps %j as it is', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('tells hex digests and random base64 from words, ids and paths', () => {
    expect(isSecretRun('0123456789abcdef0123456789abcdef')).toBe(true);
    expect(isSecretRun('00000000000000000000000000000000')).toBe(false);
    expect(isSecretRun('Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTBhYmNkZWZnaA')).toBe(true);
    expect(isSecretRun('ImplementTheForecastClientAndItsRetryPolicyV2')).toBe(false);
    expect(isSecretRun('my-really-long-project-name-20261120T140211Z')).toBe(false);
    expect(isSecretRun('packages/web-app/src/components/Header2Bar/index')).toBe(false);
  });
});

/** Words a build writes around what it leaks; none of them is redacted on its own. */
const word = fc.constantFrom(
  'Running',
  'tests',
  'iteration',
  '3',
  '4/7',
  'Builder',
  'passed,',
  'failed',
  'tokens:',
  '$0.42',
  'self-healing',
  'weather-app',
  'GitHub',
  'Integration',
  '(done)',
  'ok.',
);
const prose = fc.array(word, { maxLength: 6 }).map((words) => words.join(' '));
/** What may stand right before or after a leak. */
const edge = fc.constantFrom(' ', '\n', ' (', ') ', '"', "'", '=', ': ', ', ', ' [', '] ', '<', '>', '\t');
const lower = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: min, maxLength: max });
const alnum = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: min,
    maxLength: max,
  });
/** Random enough to be no word of the prose: it carries a digit. */
const withDigit = (min: number, max: number) =>
  fc.tuple(alnum(min - 1, max - 1), fc.integer({ min: 0, max: 9 })).map(([text, digit]) => `${text}${digit}`);

/** A leak and the part of it that must never show, whatever placeholder replaces it. */
const leak = fc.oneof(
  fc
    .tuple(fc.constantFrom('/home/', '/Users/', 'C:\\Users\\', '~'), withDigit(3, 10), lower(1, 8))
    .map(([root, user, rest]) => {
      const sep = root.includes('\\') ? '\\' : '/';
      return { text: `${root}${user}${sep}${rest}`, hidden: user };
    }),
  fc.tuple(fc.constantFrom('/srv/', '/opt/', '/var/lib/'), withDigit(3, 12)).map(([root, name]) => ({
    text: `${root}${name}/build`,
    hidden: name,
  })),
  fc
    .tuple(
      fc.constantFrom('sk-ant-api03-', 'sk-proj-', 'ghp_', 'github_pat_', 'glpat-', 'xoxb-'),
      withDigit(36, 48),
    )
    .map(([prefix, body]) => ({ text: `${prefix}${body}`, hidden: body })),
  fc
    .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 16, maxLength: 16 })
    .map((body) => ({ text: `AKIA${body}`, hidden: `AKIA${body}` })),
  fc
    .tuple(withDigit(3, 12), lower(2, 10), fc.constantFrom('com', 'io', 'dev', 'co.uk'))
    .map(([user, host, tld]) => ({
      text: `${user}@${host}.${tld}`,
      hidden: `${user}@`,
    })),
  fc
    .tuple(fc.constantFrom('https', 'git+ssh', 'postgres'), lower(2, 8), withDigit(6, 16), lower(3, 10))
    .map(([scheme, user, password, host]) => ({
      text: `${scheme}://${user}:${password}@${host}.example/x`,
      hidden: password,
    })),
  fc.tuple(withDigit(10, 20), withDigit(10, 30)).map(([claims, signature]) => ({
    text: `eyJhbGciOiJIUzI1NiJ9.eyJ${claims}.${signature}`,
    hidden: signature,
  })),
  withDigit(8, 24).map((token) => ({ text: `Bearer ${token}`, hidden: token })),
);

describe('redactText, for any text around a leak', () => {
  it('never lets the leak through', () => {
    fc.assert(
      fc.property(prose, edge, leak, edge, prose, (before, left, { text, hidden }, right, after) => {
        const out = redactText(`${before}${left}${text}${right}${after}`);
        expect(out).not.toContain(hidden);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps the prose around it', () => {
    fc.assert(
      fc.property(prose, leak, prose, (before, { text }, after) => {
        const out = redactText(`${before} ${text} ${after}`);
        expect(out.startsWith(before)).toBe(true);
        expect(out.endsWith(after)).toBe(true);
      }),
    );
  });

  it('changes nothing in text that holds no leak', () => {
    fc.assert(
      fc.property(prose, (text) => {
        expect(redactText(text)).toBe(text);
      }),
    );
  });

  it('is done after one pass, and never throws, on any text at all', () => {
    const tricky = fc.string({ unit: fc.constantFrom(...'@:/.\\-_=~ aZ09"\'+%#?$[]{}eyJ'), maxLength: 120 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), tricky), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('redactText on hostile input', () => {
  // Each of these makes a backtracking pattern go quadratic (or worse) if it can: at a megabyte
  // that is hours of work, so a rule that regresses stops the suite at its time limit. Linear
  // rules finish each in milliseconds. The answer is checked too, so the work cannot be skipped.
  const n = 1_000_000;
  const key = 'sk-ant-api03-Abcdefghijklmnop_qrstuvwxyz0123456789';
  it.each([
    ['a run of word characters', 'a'.repeat(n)],
    ['schemes without a host', 'a:'.repeat(n / 2)],
    ['a scheme and a long user', `a://${':'.repeat(n)}`],
    ['at signs', 'a@'.repeat(n / 2)],
    ['an address with endless one-letter labels', `a@${'b.'.repeat(n / 2)}`],
    ['a secret name and endless blanks', `password${' '.repeat(n)}`],
    ['secret names one after another', 'password'.repeat(n / 8)],
    ['slashes', '/'.repeat(n)],
    ['a path of endless segments', `x${'/a'.repeat(n / 2)}`],
    ['a JSON Web Token that never ends', `eyJ${'a'.repeat(n)}`],
    ['Bearer without a token', 'Bearer '.repeat(n / 7)],
    ['backslashes', '\\'.repeat(n)],
    ['drive letters', 'C:'.repeat(n / 2)],
    ['key prefixes', 'sk-'.repeat(n / 3)],
    ['key prefixes after a hyphen', '-sk-ant-'.repeat(n / 8)],
    ['tokens that never get their dots', '-eyJaaaa'.repeat(n / 8)],
    ['case changes', `${'A1a'.repeat(n / 3)}!`],
  ])('%s, in linear time', (_name, text) => {
    const out = redactText(`${text} ${key}`);
    expect(out.endsWith(` ${secret}`)).toBe(true);
    expect(out).not.toContain(key);
  });
});

describe('random base64url keys', () => {
  it('are caught whatever their length from 32 characters (all but a few in 10,000), dashes and underscores included', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let seed = 20261201;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const leaked: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const length = 32 + Math.floor(next() * 9);
      let key = '';
      for (let j = 0; j < length; j++) key += alphabet[Math.floor(next() * alphabet.length)];
      if (redactText(`token ${key} sent`).includes(key)) leaked.push(key);
    }
    // A random key is told from a name by how often its characters change kind; a rare one changes
    // as seldom as a name does.
    expect(leaked.length).toBeLessThanOrEqual(3);
  });

  it('leave long identifiers, session ids and relative paths alone', () => {
    for (const text of [
      'getSessionMetricsForOverlayPanelRenderer2',
      'weather-app-20261120T140211Z-extra-long-id',
      'implementing-the-builder-phase-for-todo-api-2',
    ])
      expect(redactText(text)).toBe(text);
  });
});
