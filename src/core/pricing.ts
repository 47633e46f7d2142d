/**
 * @module
 * Model prices and context windows. The table ships as data (`data/pricing.json`) and a user
 * file overrides it entry by entry. A model the table does not know has no price: its cost is
 * unknown (null), never guessed from a neighbour, so a new model cannot quietly borrow an old
 * model's rate.
 *
 * Model ids arrive in many spellings; all of these resolve to the `claude-sonnet-4-5` entry:
 * `claude-sonnet-4-5-20250929` (dated API id), `anthropic/claude-sonnet-4.5` (gateway),
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0` (Bedrock), `claude-sonnet-4-5@20250929`
 * (Vertex), `claude-sonnet-4-5[1m]` (Claude Code's 1M-context marker, which also sets the
 * context window to one million tokens).
 *
 * Each request is priced as Anthropic bills it: cache writes at the 5-minute or the 1-hour rate,
 * and on models with a long-context tier, a request whose prompt (input, cache reads and cache
 * writes together) passes the tier's threshold has every one of its tokens, output included,
 * priced at the tier's rates.
 */
import type { ContextLevel } from '../shared/metrics.js';
import type { LongContextRates, ModelPrice, TokenRates } from '../collector/pricing-file.js';

export type { ModelPrice };

/** Token counts of one request, or of several added up. */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  /** All cache writes, 5-minute and 1-hour. */
  cacheWrite: number;
  /** The part of `cacheWrite` written to the 1-hour cache; absent means none. */
  cacheWrite1h?: number;
  /**
   * True when the counts add up several requests (OpenTelemetry metric totals), so which of
   * them passed a long-context threshold cannot be told.
   */
  summed?: boolean;
}

/** A set of rates with every field known. */
type Rates = Required<TokenRates>;

/** A table entry as the table prices with it: the 1-hour rate and the tier always known. */
export type ResolvedPrice = Rates & {
  contextWindow: number | null;
  longContext: (Rates & Pick<LongContextRates, 'above'>) | null;
};

/** Anthropic prices a 1-hour cache write at twice the input rate on every model. */
const HOUR_WRITE_FACTOR = 2;

function withHourRate<T extends TokenRates>(rates: T): T & Rates {
  return { ...rates, cacheWrite1h: rates.cacheWrite1h ?? rates.input * HOUR_WRITE_FACTOR };
}

function resolvePrice(price: ModelPrice): ResolvedPrice {
  return Object.freeze({
    ...withHourRate(price),
    longContext: price.longContext ? Object.freeze(withHourRate(price.longContext)) : null,
  });
}

/** Whole pico-dollars per token for a rate in dollars per million tokens. */
const picoPerToken = (dollarsPerMillion: number) => Math.round(dollarsPerMillion * 1e6);

const isCount = (n: number) => Number.isFinite(n) && n >= 0;

/** The context-window gauge of SPEC 4 (`SessionMetrics.context`). */
export interface ContextGauge {
  usedTokens: number;
  limit: number | null;
  /** 0-100 with one decimal; null when the window is unknown. */
  percent: number | null;
  level: ContextLevel | null;
  model: string;
}

/** Gauge thresholds: below 50 % is safe, below 75 % a warning, anything beyond critical. */
export function contextLevel(percent: number): ContextLevel {
  if (percent < 50) return 'safe';
  if (percent < 75) return 'warning';
  return 'critical';
}

/**
 * Reduces a provider's spelling of a model id to Anthropic's API form, lower-case.
 * `longContext` is true for Claude Code's `[1m]` marker.
 */
export function normalizeModelId(model: string): { id: string; longContext: boolean } {
  let id = model.trim().toLowerCase();
  let longContext = false;
  const marker = /\[([^\]]*)\]$/.exec(id);
  if (marker) {
    longContext = marker[1] === '1m';
    id = id.slice(0, marker.index).trim();
  }
  id = id.slice(id.lastIndexOf('/') + 1); // gateways and ARNs: anthropic/…, …/inference-profile/…
  id = id.replace(/^(?:[a-z]{2,8}\.)?anthropic\./, ''); // Bedrock: anthropic.…, us.anthropic.…
  id = id.replace(/@.*$/, ''); // Vertex: claude-sonnet-4-5@20250929
  id = id.replace(/-v\d+(?::\d+)?$/, ''); // Bedrock -v1:0, Vertex claude-3-5-sonnet-v2
  id = id.replace(/(\d)\.(?=\d)/g, '$1-'); // gateways write claude-sonnet-4.5
  return { id, longContext };
}

/** The exact-lookup spellings of a normalized id, most specific first. */
function candidates(id: string): string[] {
  const undated = id.replace(/-\d{8}$/, '');
  const unaliased = undated.replace(/-latest$/, '');
  // `claude-opus-4-0` is Anthropic's alias for the undated `claude-opus-4` generation.
  const unzeroed = unaliased.replace(/^(.*-\d+)-0$/, '$1');
  return [...new Set([id, undated, unaliased, unzeroed])];
}

/** A looked-up price table. Keys are model ids or prefixes; a key ending in `*` matches any suffix. */
export class PriceTable {
  readonly #exact = new Map<string, ResolvedPrice>();
  readonly #prefixes: { key: string; stem: string; wildcard: boolean }[] = [];
  readonly #resolved = new Map<string, string | null>();

  constructor(entries: Iterable<readonly [string, ModelPrice]> = []) {
    for (const [rawKey, price] of entries) {
      const key = rawKey.trim().toLowerCase();
      this.#exact.set(key, resolvePrice(price));
      const wildcard = key.endsWith('*');
      this.#prefixes.push({ key, stem: wildcard ? key.slice(0, -1) : key, wildcard });
    }
    this.#prefixes.sort((a, b) => b.stem.length - a.stem.length);
  }

  /** How many models the table prices. */
  get size(): number {
    return this.#exact.size;
  }

  /** The configured keys, sorted. */
  models(): string[] {
    return [...this.#exact.keys()].sort();
  }

  /**
   * The table key a model id resolves to: exact id, then without a date suffix (or `-latest`),
   * then the longest configured prefix. A prefix never swallows a minor version: the
   * `claude-opus-4` entry prices `claude-opus-4-20250514` but not `claude-opus-4-9`.
   */
  resolve(model: string): string | null {
    const cached = this.#resolved.get(model);
    if (cached !== undefined) return cached;
    const found = this.#lookup(normalizeModelId(model).id);
    if (this.#resolved.size >= 1024) this.#resolved.clear();
    this.#resolved.set(model, found);
    return found;
  }

  /** The model's prices, or null when buildcast does not know them. */
  priceOf(model: string): ResolvedPrice | null {
    const key = this.resolve(model);
    return key === null ? null : (this.#exact.get(key) ?? null);
  }

  /**
   * US dollars for one request (or for counts added up, see {@link TokenUsage.summed}), or null
   * for an unknown model, nonsensical counts, or a sum that passes a long-context threshold.
   * Summed in whole pico-dollars so that, for example, 1,000 Sonnet input tokens cost exactly
   * 0.003.
   */
  costOf(model: string, usage: TokenUsage): number | null {
    const price = this.priceOf(model);
    if (price === null) return null;
    const { input, output, cacheRead, cacheWrite } = usage;
    const hour = usage.cacheWrite1h ?? 0;
    if (![input, output, cacheRead, cacheWrite, hour].every(isCount) || hour > cacheWrite) return null;
    const tier = price.longContext;
    const long = tier !== null && input + cacheRead + cacheWrite > tier.above;
    if (long && usage.summed === true) return null;
    const rates: Rates = long ? tier : price;
    const picoDollars =
      input * picoPerToken(rates.input) +
      output * picoPerToken(rates.output) +
      cacheRead * picoPerToken(rates.cacheRead) +
      (cacheWrite - hour) * picoPerToken(rates.cacheWrite) +
      hour * picoPerToken(rates.cacheWrite1h);
    return picoDollars / 1e12;
  }

  /** The model's context window in tokens; one million for a `[1m]` model id. */
  contextWindow(model: string): number | null {
    if (normalizeModelId(model).longContext) return 1_000_000;
    return this.priceOf(model)?.contextWindow ?? null;
  }

  /** The latest request's input and cache tokens against the model's context window. */
  contextGauge(model: string, latest: Pick<TokenUsage, 'input' | 'cacheRead' | 'cacheWrite'>): ContextGauge {
    const usedTokens = latest.input + latest.cacheRead + latest.cacheWrite;
    const limit = this.contextWindow(model);
    if (limit === null) return { usedTokens, limit, percent: null, level: null, model };
    const exact = (usedTokens / limit) * 100;
    return { usedTokens, limit, percent: Math.round(exact * 10) / 10, level: contextLevel(exact), model };
  }

  #lookup(id: string): string | null {
    const names = candidates(id);
    for (const name of names) if (this.#exact.has(name)) return name;
    const base = names[names.length - 1] ?? id;
    for (const { key, stem, wildcard } of this.#prefixes) {
      if (wildcard) {
        if (base.startsWith(stem)) return key;
      } else if (base.startsWith(`${stem}-`) && !/^\d{1,2}(?:-|$)/.test(base.slice(stem.length + 1))) {
        return key;
      }
    }
    return null;
  }
}
