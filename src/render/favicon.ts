/**
 * @module
 * The favicon with a mark on it: the page's own icon (`public/favicon.svg`) with a red dot in its
 * corner, which the dashboard shows in the browser's tab while a build it saw has failed. Drawn
 * from the file's text by the server, so the icon is never written twice and no inline markup or
 * `data:` URL is needed on the page.
 */

/** The dot: red with a light ring, so it stands out on a dark or a light tab strip. */
const FAILED_DOT =
  '<circle cx="24" cy="8" r="7.5" fill="#dc2626" stroke="#ffffff" stroke-width="2" data-alert="failed"/>';

/** The icon's SVG text with the red dot drawn last (on top); text without `</svg>` is returned as is. */
export function markFavicon(svg: string): string {
  const end = svg.lastIndexOf('</svg>');
  if (end < 0) return svg;
  return `${svg.slice(0, end)}  ${FAILED_DOT}\n${svg.slice(end)}`;
}
