import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Diagnostic, DiagnosticCode } from '../../contracts/errors.ts';

/** A YAML file kept as a Document, so every value can be traced back to its line and column. */
export interface SourceFile {
  /** The path as shown in messages. */
  file: string;
  order: number;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** False when the YAML itself is broken (already reported): the content is not checked further. */
  parsed: boolean;
}

export type Path = readonly (string | number)[];

/** Collects diagnostics for one load; positions come from the documents' node ranges. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  /** A problem with no better place than the file itself (missing file, empty matrix). */
  atFile(file: string, order: number, message: string, line = 1, col = 1): void {
    this.list.push({ file, order, line, col, message });
  }

  /** A problem at `path` in `src`; `key` points at the key of a map entry rather than its value. */
  at(src: SourceFile, path: Path, message: string, key = false, code?: DiagnosticCode): void {
    const { node } = nodeAt(src, path, key);
    const offset = node?.range?.[0] ?? 0;
    const pos = src.lines.linePos(offset);
    this.list.push({ file: src.file, order: src.order, line: pos.line, col: pos.col, message, ...(code && { code }) });
  }

  get count(): number {
    return this.list.length;
  }
}

/** Parses one YAML file; syntax errors and duplicate keys go to `diags` (and `parsed` is false). */
export function parseSource(file: string, text: string, order: number, diags: Diagnostics): SourceFile {
  const lines = new LineCounter();
  // merge: `<<: *base` lets profiles and rules share fields, as YAML users expect.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, merge: true });
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    // prettyErrors appends the position and a context excerpt; our format has its own position.
    const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    diags.atFile(file, order, message.charAt(0).toLowerCase() + message.slice(1), pos.line, pos.col);
  }
  const src: SourceFile = { file, order, text, doc, lines, parsed: doc.errors.length === 0 };
  if (!src.parsed) return src;
  // A number used as a map key (`profiles: { xen: { 4.10: ... } }`) would silently become "4.1".
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'number') {
        const keyText = sourceText(src, pair.key);
        const pos = lines.linePos(pair.key.range?.[0] ?? 0);
        diags.atFile(file, order, numberMessage(keyText, pair.key.value), pos.line, pos.col);
      }
    },
  });
  return src;
}

/** The node at `path`, or the closest existing ancestor when the path does not exist (a missing key). */
export function nodeAt(src: SourceFile, path: Path, key = false): { node: Node | undefined; exact: boolean } {
  let node: unknown = src.doc.contents;
  let last: Node | undefined = (node as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node: last, exact: false };
      if (key && i === path.length - 1) return { node: pair.key as Node, exact: true };
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return { node: last, exact: false };
    }
    if (node == null) return { node: last, exact: false };
    last = node as Node;
  }
  return { node: last, exact: true };
}

/** What the user typed for a node (a scalar's source text). */
export function sourceText(src: SourceFile, node: Node): string {
  const r = node.range;
  return r ? src.text.slice(r[0], r[1]).trim() : '';
}

/** How a value reads in a message: the typed text for scalars, the kind for collections. */
export function describeAt(src: SourceFile, path: Path): string {
  const { node, exact } = nodeAt(src, path);
  if (!exact || !node) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'an empty value';
    if (typeof v === 'number') return `the number ${sourceText(src, node)}`;
    if (typeof v === 'boolean') return `the boolean ${sourceText(src, node)}`;
    return `"${String(v)}"`;
  }
  return 'an alias';
}

/** The message for a number where a string belongs, with the float case spelt out. */
export function numberMessage(typed: string, value: number): string {
  if (/^[-+]?\d*\.\d+$/.test(typed) && String(value) !== typed) {
    return `expected a string, not the number ${value}: write "${typed}" in quotes: YAML reads ${typed} as the number ${value}`;
  }
  return `expected a string, not the number ${typed}: write "${typed}" in quotes`;
}

/** If the node at `path` is a number, the number message for it. */
export function numberMessageAt(src: SourceFile, path: Path): string | undefined {
  const { node, exact } = nodeAt(src, path);
  if (exact && isScalar(node) && typeof node.value === 'number') return numberMessage(sourceText(src, node), node.value);
  return undefined;
}
