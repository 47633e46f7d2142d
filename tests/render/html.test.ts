import { describe, expect, it } from 'vitest';
import { classes, escapeHtml, html, join, raw } from '../../src/render/html.js';

describe('html tagged template', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = '<script>alert(1)</script>';
    const detail = `"><img src=x onerror=alert(1)>`;
    const out = html`<p title="${detail}">${name}</p>`.toString();
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('escapes single quotes and backticks too, so any attribute quoting is safe', () => {
    expect(escapeHtml(`a'b\`c&d`)).toBe('a&#39;b&#96;c&amp;d');
  });

  it('keeps nested html and raw markup as is, and escapes strings inside arrays', () => {
    const items = ['<a>', '<b>'].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}${raw('<li>trusted</li>')}${['<c>']}</ul>`.toString();
    expect(out).toBe('<ul><li>&lt;a&gt;</li><li>&lt;b&gt;</li><li>trusted</li>&lt;c&gt;</ul>');
  });

  it('renders nothing for null, undefined and booleans, and numbers as text', () => {
    const missing: string | null = null;
    expect(html`[${missing}${undefined}${false}${true}${0}${42.5}]`.toString()).toBe('[042.5]');
  });

  it('does not trust look-alike objects that are not SafeHtml', () => {
    const fake = { toString: () => '<script>' } as unknown as string;
    expect(html`${fake}`.toString()).not.toContain('<script>');
  });

  it('joins with a trusted separator and builds class lists', () => {
    expect(join(['<x>', html`<b>y</b>`], raw('<br>')).toString()).toBe('&lt;x&gt;<br><b>y</b>');
    expect(classes('seg', false, null, 'seg-done', '')).toBe('seg seg-done');
  });
});
