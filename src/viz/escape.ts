/**
 * Text for SVG (XML): user strings (series names, titles, variable names) are escaped so that
 * no input can break the document or inject markup.
 */

/**
 * `text` escaped for XML content and attribute values. Characters XML 1.0 forbids (control
 * characters other than tab and newlines, lone surrogates) become U+FFFD, so the document stays
 * well-formed whatever the input.
 * @example escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A coordinate for SVG: two decimals are finer than a pixel, and keep the output short and stable. */
export function coordinate(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}
