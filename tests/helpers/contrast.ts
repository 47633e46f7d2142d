/**
 * WCAG 2.2 contrast (success criterion 1.4.3): colours as the browser computes them, laid over
 * one another, and the ratio between text and what is behind it.
 */

/** An sRGB colour, channels 0–1, with its alpha. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/**
 * A colour as `getComputedStyle` writes it: `rgb(…)`, `rgba(…)`, `#rrggbb`, or `color(srgb …)`
 * (what `color-mix(in srgb, …)` computes to). Throws on anything else, so a test cannot pass by
 * reading a colour it did not understand.
 */
export function parseColor(text: string): Rgba {
  const value = text.trim().toLowerCase();
  if (value === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const hex = /^#([0-9a-f]{6})$/.exec(value);
  if (hex) {
    const n = parseInt(hex[1] ?? '0', 16);
    return { r: ((n >> 16) & 255) / 255, g: ((n >> 8) & 255) / 255, b: (n & 255) / 255, a: 1 };
  }
  const rgb = /^rgba?\(([^)]*)\)$/.exec(value);
  if (rgb) {
    const [r = 0, g = 0, b = 0, a = 1] = (rgb[1] ?? '')
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return { r: r / 255, g: g / 255, b: b / 255, a };
  }
  const srgb = /^color\(srgb ([^)]*)\)$/.exec(value);
  if (srgb) {
    const [r = 0, g = 0, b = 0, a = 1] = (srgb[1] ?? '')
      .split(/[\s/]+/)
      .filter(Boolean)
      .map(Number);
    return { r, g, b, a };
  }
  throw new Error(`cannot read the colour ${text}`);
}

/** `top` laid over the opaque `bottom`, `top`'s alpha scaled by `opacity`. */
export function over(top: Rgba, bottom: Rgba, opacity = 1): Rgba {
  const a = top.a * opacity;
  return {
    r: top.r * a + bottom.r * (1 - a),
    g: top.g * a + bottom.g * (1 - a),
    b: top.b * a + bottom.b * (1 - a),
    a: 1,
  };
}

function luminance({ r, g, b }: Rgba): number {
  const channel = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The contrast ratio of two opaque colours, 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The ratio text needs: 3:1 when large (24 px, or 18.66 px bold), else 4.5:1. */
export function requiredRatio(fontSizePx: number, fontWeight: number): number {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && fontWeight >= 700) ? 3 : 4.5;
}
