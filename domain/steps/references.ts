/** `${name}` and `${axes.NAME}` in a step's strings, found by one pattern (./substitute.ts resolves them). */

/** Axis names may hold `-` (runner/load's AXIS_NAME); stored names are those `as:` allows. */
const REF = /\$\{(?:axes\.([A-Za-z_][A-Za-z0-9_-]*)|([A-Za-z_][A-Za-z0-9_]*))\}/g;

/** A string cut into literal text and references, for a backend that resolves them later (a shell). */
export type Part = { text: string } | { name: string } | { axis: string };

export function parts(text: string): Part[] {
  const out: Part[] = [];
  let at = 0;
  for (const m of text.matchAll(REF)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push(m[1] !== undefined ? { axis: m[1] } : { name: m[2]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** The text with every reference replaced by a plain word: what a load-time check can compile. */
export const withPlaceholders = (text: string): string => text.replace(REF, 'x');
