/** Parses SVG as strict XML: a malformed document fails the test with the parser's message. */
import { DOMParser } from '@xmldom/xmldom';

export function parseSvg(svg: string) {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`malformed SVG (${level}): ${message}`);
    },
  });
  const document = parser.parseFromString(svg, 'image/svg+xml');
  const root = document.documentElement;
  if (root === null || root.localName !== 'svg') throw new Error('the document element is not <svg>');
  return root;
}

/** The elements named `tag` under `root`, as an array. */
export function elements(root: ReturnType<typeof parseSvg>, tag: string) {
  return Array.from(root.getElementsByTagName(tag));
}

/** Elements whose class list contains every given class. */
export function withClass(root: ReturnType<typeof parseSvg>, tag: string, ...classes: string[]) {
  return elements(root, tag).filter((e) => {
    const list = (e.getAttribute('class') ?? '').split(/\s+/);
    return classes.every((c) => list.includes(c));
  });
}
