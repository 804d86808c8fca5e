/**
 * Small DOM builders shared by the view's modules.
 */

const SVGNS = 'http://www.w3.org/2000/svg';

/** An SVG element with ``attrs`` set in order, appended to ``parent`` when given. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: { [k: string]: string | number } = {},
  parent?: Element
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVGNS, tag);
  for (const k in attrs) {
    el.setAttribute(k, String(attrs[k]));
  }
  if (parent) {
    parent.appendChild(el);
  }
  return el;
}

/** An HTML element of class ``className`` (none when empty) with optional text. */
export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) {
    el.className = className;
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}
