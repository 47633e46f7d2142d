/**
 * @module
 * Text that fills generated Claude Code transcripts (bench/gen-transcripts.ts): prompts, file
 * contents, command output and model prose, drawn from a seeded generator so a set is the same
 * bytes on every run. Most of a real transcript's bytes are tool output, so that is where most
 * of the text goes; it mixes quotes, backslashes, tabs and non-ASCII characters because a reader
 * pays for escapes and multi-byte characters.
 */

/** A seeded pseudo-random source (mulberry32): fast, and the same sequence for the same seed. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `length` characters from `alphabet`. */
  chars(length: number, alphabet = BASE62): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** A version 4 UUID, as Claude Code names sessions and lines. */
  uuid(): string {
    const hex = this.chars(32, '0123456789abcdef');
    const variant = '89ab'[this.int(0, 3)]!;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Mixes a seed with small integers into a new 32-bit seed, so every file has its own stream. */
export function mixSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A 32-bit FNV-1a hash of a text, to mix names into seeds. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const WORDS = (
  'forecast weather session phase token render fetch parse cache store client server config build ' +
  'route handler record stream buffer offset metric sample window update result problem folder ' +
  'watcher schema query'
).split(' ');
const TYPES = ['string', 'number', 'boolean', 'Date', 'Buffer', 'Promise<void>', 'Record<string, unknown>'];
const ext = ['ts', 'tsx', 'py', 'json', 'md', 'css'] as const;

const word = (rng: Rng) => rng.pick(WORDS);
const camel = (rng: Rng) => {
  const second = word(rng);
  return word(rng) + second[0]!.toUpperCase() + second.slice(1);
};

/** A relative source path such as `src/forecast/cache-store.ts`. */
export function sourcePath(rng: Rng): string {
  return `src/${word(rng)}/${word(rng)}-${word(rng)}.${rng.pick(ext)}`;
}

function codeLine(rng: Rng): string {
  switch (rng.int(0, 9)) {
    case 0:
      return `import { ${camel(rng)}, type ${camel(rng)} } from './${word(rng)}.js';`;
    case 1:
      return `export function ${camel(rng)}(${word(rng)}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`;
    case 2:
      return `  const ${camel(rng)} = await ${word(rng)}.${camel(rng)}(${word(rng)}, { limit: ${rng.int(1, 500)} });`;
    case 3:
      return `  if (!${camel(rng)}) throw new Error("${word(rng)} is missing: expected \\"${word(rng)}\\"");`;
    case 4:
      return `  // Keeps the ${word(rng)} so a restart resumes where it stopped — see issue #${rng.int(10, 999)}.`;
    case 5:
      return `\treturn ${camel(rng)}.map((${word(rng)}) => ${word(rng)}.${camel(rng)} ?? null);`;
    case 6:
      return `  ${camel(rng)}: '${rng.chars(rng.int(6, 24))}', // ${word(rng)} ✓`;
    case 7:
      return `const pattern = /^${word(rng)}\\/(\\d+)\\.${rng.pick(ext)}$/u;`;
    case 8:
      return '}';
    default:
      return '';
  }
}

function outputLine(rng: Rng): string {
  switch (rng.int(0, 6)) {
    case 0:
      return ` ✓ tests/${word(rng)}/${word(rng)}.test.ts (${rng.int(1, 40)} tests) ${rng.int(2, 900)}ms`;
    case 1:
      return ` × ${word(rng)} ${word(rng)} > keeps the last good ${word(rng)} ${rng.int(5, 90)}ms`;
    case 2:
      return `   → expected ${rng.int(0, 99)} to be ${rng.int(0, 99)} // Object.is equality`;
    case 3:
      return `-rw-r--r--  1 dev dev ${rng.int(80, 90_000)} Nov ${rng.int(1, 30)} 14:${rng.int(10, 59)} ${sourcePath(rng)}`;
    case 4:
      return `${sourcePath(rng)}:${rng.int(1, 400)}:${rng.int(1, 80)}: error TS${rng.int(2000, 2800)}: Type '${rng.pick(TYPES)}' is not assignable.`;
    case 5:
      return `[${word(rng)}] ${rng.chars(rng.int(8, 40), 'abcdefghijklmnopqrstuvwxyz ')}…`;
    default:
      return `  at ${camel(rng)} (file:///home/dev/${word(rng)}/dist/${word(rng)}.js:${rng.int(1, 300)}:${rng.int(1, 60)})`;
  }
}

function lines(rng: Rng, bytes: number, line: (rng: Rng) => string, numbered: boolean): string {
  const out: string[] = [];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const text = numbered ? `${String(n).padStart(6)}→${line(rng)}` : line(rng);
    out.push(text);
    size += text.length + 1;
  }
  return out.join('\n');
}

/** A file as the Read tool returns it: numbered lines of code. */
export const fileText = (rng: Rng, bytes: number) => lines(rng, bytes, codeLine, true);
/** Plain code, as the Write and Edit tools carry it. */
export const codeText = (rng: Rng, bytes: number) => lines(rng, bytes, codeLine, false);
/** Output of a shell command: test runs, listings, compiler errors, stack traces. */
export const commandOutput = (rng: Rng, bytes: number) => lines(rng, bytes, outputLine, false);

const PROMPTS = [
  'Build a weather app with a 5-day forecast',
  'The tests in tests/{w}.test.ts fail after the last change; fix them without weakening them.',
  'Add a {w} cache so a restart does not read every file again.',
  'Refactor the {w} module: split parsing from the watcher and keep the public API.',
  'Why does the {w} page flicker on every update? Find the cause and fix it.',
  'Write the README section about {w}, with an example that runs.',
];

/** What a person types to start a turn. */
export function prompt(rng: Rng): string {
  return rng.pick(PROMPTS).replace('{w}', word(rng));
}

/** A few sentences of model prose (text and thinking blocks). */
export function prose(rng: Rng, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    out.push(
      `The ${word(rng)} ${rng.pick(['reads', 'keeps', 'sends', 'checks', 'drops'])} the ${word(rng)} ` +
        `${rng.pick(['before', 'after', 'while', 'unless'])} the ${camel(rng)} ${rng.pick(['changes', 'fails', 'is ready', 'arrives'])}.`,
    );
  }
  return out.join(' ');
}

/** A shell command the Bash tool runs. */
export function shellCommand(rng: Rng): string {
  return rng.pick([
    `npx vitest run tests/${word(rng)}`,
    'npm run build 2>&1 | tail -40',
    `ls -la src/${word(rng)}`,
    `grep -rn "${camel(rng)}" src | head -20`,
    'npx tsc --noEmit -p tsconfig.json',
  ]);
}
