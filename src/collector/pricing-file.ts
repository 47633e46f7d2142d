/**
 * @module
 * The pricing file format (`data/pricing.json`, `--pricing FILE`): `{"currency":"USD","models":
 * {"<model id or prefix*>": {"input","output","cacheWrite","cacheWrite1h"?,"cacheRead",
 * "contextWindow"?,"longContext"?: {"above","input","output","cacheWrite","cacheWrite1h"?,
 * "cacheRead"}}}}`, prices in dollars per million tokens. Bad entries are left out and
 * reported, never guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One set of rates, in US dollars per million tokens. */
export interface TokenRates {
  input: number;
  output: number;
  /** Writes to the prompt cache at the default (5-minute) rate. */
  cacheWrite: number;
  /** Writes to the 1-hour prompt cache; when the file leaves it out, twice `input` (Anthropic's rule). */
  cacheWrite1h?: number;
  /** Reads from the prompt cache (cache hits). */
  cacheRead: number;
}

/**
 * The rates of a request whose prompt (input, cache reads and cache writes together) is longer
 * than `above` tokens: every token of that request, output included, is priced at these.
 */
export interface LongContextRates extends TokenRates {
  above: number;
}

/** Prices in US dollars per million tokens, and the context window in tokens. */
export interface ModelPrice extends TokenRates {
  /** Null when the table does not say. */
  contextWindow: number | null;
  /** The higher tier of long requests, for models that have one. */
  longContext?: LongContextRates | null;
}

/** Where the pricing files are; the composition root decides both paths. */
export interface PricingFiles {
  builtin: string;
  /** The user's file (`--pricing FILE`, or a default such as `~/.config/buildcast/pricing.json`). */
  override?: string | null;
  /** When true, a missing override file is not a problem (for a default path nobody created). */
  overrideOptional?: boolean;
}

/** The prices read, by model id or prefix, and everything wrong with the files they came from. */
export interface PricingLoad {
  entries: Map<string, ModelPrice>;
  /** One line per problem, naming the file and the entry; bad entries are left out, never guessed. */
  problems: string[];
}

/** The rates every entry (and its long-context tier) must give. */
const PRICE_FIELDS = ['input', 'output', 'cacheWrite', 'cacheRead'] as const;

const quote = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isTokenCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

const isRate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The rates of an entry or of its tier; each bad field adds a reason to `bad` (prefixed). */
function readRates(raw: Record<string, unknown>, prefix: string, bad: string[]): TokenRates | null {
  const before = bad.length;
  const expected = (field: string, value: unknown) =>
    `${prefix}${field}: expected a non-negative number of dollars per million tokens, got ${quote(value)}`;
  for (const field of PRICE_FIELDS) if (!isRate(raw[field])) bad.push(expected(field, raw[field]));
  const hour = raw.cacheWrite1h;
  if (hour !== undefined && !isRate(hour)) bad.push(expected('cacheWrite1h', hour));
  if (bad.length > before) return null;
  return {
    input: raw.input as number,
    output: raw.output as number,
    cacheWrite: raw.cacheWrite as number,
    ...(hour === undefined ? {} : { cacheWrite1h: hour as number }),
    cacheRead: raw.cacheRead as number,
  };
}

/**
 * Reads the text of one pricing file. Entries with a missing or invalid price are left out and
 * reported (`label` names the file in each problem); the rest are kept.
 */
function parsePricing(text: string, label: string): { entries: Map<string, ModelPrice>; problems: string[] } {
  const entries = new Map<string, ModelPrice>();
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    problems.push(`${label}: invalid JSON: ${(err as Error).message}`);
    return { entries, problems };
  }
  if (!isObject(doc) || !isObject(doc.models)) {
    problems.push(`${label}: expected {"models": {"<model id>": {...}}}`);
    return { entries, problems };
  }
  if (doc.currency !== undefined && doc.currency !== 'USD') {
    problems.push(
      `${label}: currency ${quote(doc.currency)} is not supported (prices are US dollars); file ignored`,
    );
    return { entries, problems };
  }
  for (const [rawKey, raw] of Object.entries(doc.models)) {
    const key = rawKey.trim().toLowerCase();
    const where = `${label}: models[${JSON.stringify(rawKey)}]`;
    if (key === '' || key.slice(0, -1).includes('*')) {
      problems.push(`${where}: not a model id or prefix (a "*" may only end it)`);
      continue;
    }
    if (!isObject(raw)) {
      problems.push(`${where}: expected an object of prices, got ${quote(raw)}`);
      continue;
    }
    const bad: string[] = [];
    const rates = readRates(raw, '', bad);
    const window = raw.contextWindow;
    if (window !== undefined && window !== null && !isTokenCount(window)) {
      bad.push(`contextWindow: expected a positive whole number of tokens, got ${quote(window)}`);
    }
    let longContext: LongContextRates | null = null;
    if (raw.longContext !== undefined && raw.longContext !== null) {
      if (!isObject(raw.longContext)) {
        bad.push(`longContext: expected an object of prices, got ${quote(raw.longContext)}`);
      } else {
        const above = raw.longContext.above;
        if (!isTokenCount(above)) {
          bad.push(`longContext.above: expected a positive whole number of tokens, got ${quote(above)}`);
        }
        const tier = readRates(raw.longContext, 'longContext.', bad);
        if (tier && isTokenCount(above)) longContext = { above, ...tier };
      }
    }
    if (bad.length > 0 || rates === null) {
      for (const reason of bad) problems.push(`${where}.${reason}`);
      continue;
    }
    if (entries.has(key)) problems.push(`${where}: duplicate of an earlier entry; the later one wins`);
    entries.set(key, {
      ...rates,
      contextWindow: typeof window === 'number' ? window : null,
      longContext,
    });
  }
  return { entries, problems };
}

function readPricingFile(file: string, optional: boolean, problems: string[]): Map<string, ModelPrice> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!(optional && code === 'ENOENT'))
      problems.push(`${file}: cannot read pricing: ${(err as Error).message}`);
    return new Map();
  }
  const parsed = parsePricing(text, file);
  problems.push(...parsed.problems);
  return parsed.entries;
}

/**
 * Loads the shipped table, then the user's file on top: an override entry replaces the shipped
 * entry of the same key whole, or adds a model. Never throws; unreadable files and bad entries
 * become problems and the table holds whatever was valid.
 */
export function loadPricing(files: PricingFiles): PricingLoad {
  const problems: string[] = [];
  const entries = readPricingFile(files.builtin, false, problems);
  if (files.override) {
    for (const [key, price] of readPricingFile(files.override, files.overrideOptional === true, problems)) {
      entries.set(key, price);
    }
  }
  return { entries, problems };
}

/**
 * The shipped `data/pricing.json`, found by walking up from this module, so it resolves both
 * from `src/core/` and from the compiled `dist/src/core/`.
 */
export function defaultBuiltinPricingPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  const first = path.resolve(dir, '../../data/pricing.json');
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'data', 'pricing.json');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return first;
}
