/**
 * @module
 * Which machine a run reported from, when it says (SPEC 1.2: pushes from other machines are how a
 * fleet of build hosts reports to one dashboard). A phase file or push may carry `host` or
 * `hostname` (kept among its extra fields); the history can then be filtered by it. Pure.
 */

/** Extra fields that name the build's machine, in the order they are looked for. */
const HOST_FIELDS = ['host', 'hostname', 'host_name', 'hostName', 'machine'] as const;
/** The longest a DNS name can be; anything longer is not a host name. */
const MAX_HOST = 253;

/** Control characters have no place in a name shown on a page. */
const isControl = (ch: string): boolean => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f;

/** The host a phase record names, or null when it names none (or names it in a way not to trust). */
export function hostOf(extra: Readonly<Record<string, unknown>>): string | null {
  for (const name of HOST_FIELDS) {
    if (!Object.hasOwn(extra, name)) continue;
    const value = extra[name];
    if (typeof value !== 'string') continue;
    const host = value.trim();
    if (host !== '' && host.length <= MAX_HOST && ![...host].some(isControl)) return host;
  }
  return null;
}
