/**
 * @module
 * Ids and varied numbers for a simulated build's transcripts, derived from names by hashing, so
 * the same build always writes the same ids (tests can name them) while each looks like the
 * ones Claude Code and the Anthropic API hand out.
 */
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

function base62(seed: string, length: number): string {
  const bytes = digest(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[bytes[i % bytes.length]! % 62];
  return out;
}

/** A whole number from `min` to `max` (both included), the same for the same seed. */
export function varied(seed: string, min: number, max: number): number {
  return min + (digest(seed).readUInt32BE(0) % (max - min + 1));
}

/** A version 4 UUID, as Claude Code gives sessions and transcript lines. */
export function uuidOf(seed: string): string {
  const hex = digest(seed).toString('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A subagent's `agentId`: seven hex digits. */
export function agentIdOf(seed: string): string {
  return digest(seed).toString('hex').slice(0, 7);
}

/** An API message id (`message.id`). */
export const messageIdOf = (seed: string): string => `msg_01${base62(seed, 22)}`;

/** An API request id (`requestId`). */
export const requestIdOf = (seed: string): string => `req_011C${base62(seed, 20)}`;

/** A tool call's id, which its result names. */
export const toolUseIdOf = (seed: string): string => `toolu_01${base62(seed, 22)}`;
