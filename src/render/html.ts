/**
 * @module
 * Safe HTML by construction. Everything a build writes is untrusted (SPEC 7), so markup is
 * built only with the {@link html} tagged template, which escapes every interpolation unless it
 * is already {@link SafeHtml}. Trusted markup that did not come from `html` must be wrapped in
 * {@link raw} on purpose, which makes the rare exception easy to find in review.
 */

/** A piece of markup that is known to be safe to emit as is. */
export class SafeHtml {
  readonly #markup: string;

  /** Use {@link html} or {@link raw}; constructing one directly is the same as calling `raw`. */
  constructor(markup: string) {
    this.#markup = markup;
  }

  /** The markup, ready to send. */
  toString(): string {
    return this.#markup;
  }
}

/**
 * What may be interpolated into {@link html}. `null`, `undefined` and booleans render nothing,
 * so `${cond && html`...`}` reads naturally; arrays render each item in order.
 */
export type HtmlValue = string | number | boolean | null | undefined | SafeHtml | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for use in element content and in quoted attribute values. Attributes must
 * always be quoted in templates; this escapes both quote characters so either works.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (value instanceof SafeHtml) return value.toString();
  if (typeof value === 'number') return escapeHtml(String(value));
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly HtmlValue[]) out += render(item);
    return out;
  }
  // Strings, and anything that slipped past the types: always escaped.
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are trusted markup, every `${value}` is escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Marks trusted markup (never build data) as safe. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins rendered items with an optional trusted separator. */
export function join(items: readonly HtmlValue[], separator: SafeHtml = raw('')): SafeHtml {
  return new SafeHtml(items.map(render).join(separator.toString()));
}

/** Joins class names, skipping empty ones; the result is escaped where it is interpolated. */
export function classes(...names: (string | false | null | undefined)[]): string {
  return names.filter((name): name is string => typeof name === 'string' && name !== '').join(' ');
}
