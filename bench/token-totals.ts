/**
 * @module
 * Token totals as the transcript benchmark compares them: the four usage fields of SPEC 1.5,
 * added up over requests, and compared field by field.
 */

export interface TokenTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const zeroTokens = (): TokenTotals => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

/** Adds `from` into `to`. */
export function addTokens(to: TokenTotals, from: TokenTotals): void {
  to.input += from.input;
  to.output += from.output;
  to.cacheRead += from.cacheRead;
  to.cacheWrite += from.cacheWrite;
}

export const plusTokens = (a: TokenTotals, b: TokenTotals): TokenTotals => {
  const total = { ...a };
  addTokens(total, b);
  return total;
};

/** All four fields together, as the tools print a total. */
export const sumTokens = (t: TokenTotals) => t.input + t.output + t.cacheRead + t.cacheWrite;

/** Whether every field agrees; a total that matches by chance does not count. */
export const sameTokens = (a: TokenTotals | null, b: TokenTotals) =>
  a !== null &&
  a.input === b.input &&
  a.output === b.output &&
  a.cacheRead === b.cacheRead &&
  a.cacheWrite === b.cacheWrite;
