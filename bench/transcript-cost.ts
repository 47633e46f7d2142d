/**
 * @module
 * What the generated transcripts cost (bench/gen-transcripts.ts), worked out from the requests
 * as they are written, with Anthropic's published prices for the three models the generator
 * uses, so the bench can check buildcast's and ccusage's figures against a price it knows:
 *
 * - **Anthropic's rule**: 5-minute cache writes at 1.25 × input, 1-hour writes at 2 × input; a
 *   Sonnet 4.5 request whose prompt (input + cache reads + cache writes) passes 200k tokens has
 *   every token, output included, at the long-context rates.
 * - **Per-field tiering**, how ccusage 20 prices the long-context tier: each kind of token on its
 *   own, and only the tokens of a kind past 200k at the higher rate.
 * - **Flat**: every write at the 5-minute rate and no tier, as buildcast priced before.
 *
 * Costs are whole pico-dollars (rates times 10^6 per token), so sums are exact.
 */

/** Dollars per million tokens. */
interface Rates {
  input: number;
  output: number;
  cacheWrite: number;
  cacheWrite1h: number;
  cacheRead: number;
}

const rates = (input: number, output: number, cacheRead: number): Rates => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheWrite1h: input * 2,
  cacheRead,
});

/** Anthropic's pricing page: Sonnet 4.5 (with its 1M-context tier), Opus 4.1, Haiku 4.5. */
const PRICES: Record<string, { base: Rates; long: Rates | null }> = {
  'claude-sonnet-4-5-20250929': { base: rates(3, 15, 0.3), long: rates(6, 22.5, 0.6) },
  'claude-opus-4-1-20250805': { base: rates(15, 75, 1.5), long: null },
  'claude-haiku-4-5-20251001': { base: rates(1, 5, 0.1), long: null },
};

/** Prompt tokens past which the long-context tier applies. */
export const LONG_CONTEXT_ABOVE = 200_000;

/** The final usage of one request, as its last transcript line states it. */
export interface RequestUsage {
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  /** Every cache write, 5-minute and 1-hour. */
  cacheWrite: number;
  /** The part of `cacheWrite` written to the 1-hour cache. */
  cacheWrite1h: number;
}

/** What a session's requests cost each way (pico-dollars) and what made them cost it. */
export interface CostTotals {
  anthropic: number;
  perFieldTiering: number;
  flat: number;
  /** Requests whose prompt passed {@link LONG_CONTEXT_ABOVE} on a model with the tier. */
  longRequests: number;
  cacheWrite: number;
  cacheWrite1h: number;
}

export const zeroCost = (): CostTotals => ({
  anthropic: 0,
  perFieldTiering: 0,
  flat: 0,
  longRequests: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
});

const pico = (tokens: number, dollarsPerMillion: number) => tokens * Math.round(dollarsPerMillion * 1e6);

function priceOf(model: string) {
  const price = PRICES[model];
  if (!price) throw new Error(`the bench has no price for ${model}`);
  return price;
}

function atRates(u: RequestUsage, r: Rates, hourRate = r.cacheWrite1h): number {
  return (
    pico(u.input, r.input) +
    pico(u.output, r.output) +
    pico(u.cacheRead, r.cacheRead) +
    pico(u.cacheWrite - u.cacheWrite1h, r.cacheWrite) +
    pico(u.cacheWrite1h, hourRate)
  );
}

const isLong = (u: RequestUsage) =>
  priceOf(u.model).long !== null && u.input + u.cacheRead + u.cacheWrite > LONG_CONTEXT_ABOVE;

/** One kind of token, the part past 200k at the higher rate when there is one. */
function tiered(tokens: number, base: number, above: number | undefined): number {
  if (above === undefined || tokens <= LONG_CONTEXT_ABOVE) return pico(tokens, base);
  return pico(LONG_CONTEXT_ABOVE, base) + pico(tokens - LONG_CONTEXT_ABOVE, above);
}

function perFieldTiering(u: RequestUsage): number {
  const { base, long } = priceOf(u.model);
  return (
    tiered(u.input, base.input, long?.input) +
    tiered(u.output, base.output, long?.output) +
    tiered(u.cacheRead, base.cacheRead, long?.cacheRead) +
    tiered(u.cacheWrite - u.cacheWrite1h, base.cacheWrite, long?.cacheWrite) +
    tiered(u.cacheWrite1h, base.cacheWrite1h, long?.cacheWrite1h)
  );
}

/** Adds one request to a session's costs. */
export function addRequestCost(to: CostTotals, u: RequestUsage): void {
  const { base, long } = priceOf(u.model);
  const longRequest = isLong(u);
  to.anthropic += atRates(u, longRequest && long ? long : base);
  to.perFieldTiering += perFieldTiering(u);
  to.flat += atRates(u, base, base.cacheWrite);
  to.longRequests += longRequest ? 1 : 0;
  to.cacheWrite += u.cacheWrite;
  to.cacheWrite1h += u.cacheWrite1h;
}

/** Adds `from` into `to`. */
export function addCosts(to: CostTotals, from: CostTotals): void {
  to.anthropic += from.anthropic;
  to.perFieldTiering += from.perFieldTiering;
  to.flat += from.flat;
  to.longRequests += from.longRequests;
  to.cacheWrite += from.cacheWrite;
  to.cacheWrite1h += from.cacheWrite1h;
}

/** Pico-dollars as dollars. */
export const dollars = (picoDollars: number) => picoDollars / 1e12;
