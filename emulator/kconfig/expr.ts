/**
 * Kconfig dependency expressions (`X86_64 || (X86_32 && X86_PAE)`), parsed into a tree so
 * that the evaluator can walk them and the explainer can say which leaf is unmet.
 * Values are Kconfig tristates: n = 0, m = 1, y = 2; `&&` is min, `||` is max, `!x` is 2 - x,
 * as in scripts/kconfig/expr.c.
 */
export type Tristate = 0 | 1 | 2;

export type Expr =
  | { kind: 'sym'; name: string }
  | { kind: 'const'; value: Tristate }
  | { kind: 'not'; arg: Expr }
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'cmp'; op: '=' | '!='; left: Expr; right: Expr };

export class ExprError extends Error {
  constructor(
    readonly text: string,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${problem} at column ${column + 1} of "${text}"`);
    this.name = 'ExprError';
  }
}

const TOKEN = /\s*(&&|\|\||!=|[!()=]|[A-Za-z0-9_]+)/y;

function tokenize(text: string): { tok: string; at: number }[] {
  const out: { tok: string; at: number }[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new ExprError(text, pos, 'unexpected character');
    out.push({ tok: m[1]!, at: m.index + m[0].length - m[1]!.length });
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** Parses a Kconfig expression; precedence as in Kconfig: `!` > `=`/`!=` > `&&` > `||`. */
export function parseExpr(text: string): Expr {
  const toks = tokenize(text);
  let i = 0;
  const peek = () => toks[i]?.tok;
  const fail = (problem: string): never => {
    throw new ExprError(text, toks[i]?.at ?? text.length, problem);
  };
  const primary = (): Expr => {
    const t = peek();
    if (t === undefined) return fail('expression ends too early');
    if (t === '!') {
      i++;
      return { kind: 'not', arg: primary() };
    }
    if (t === '(') {
      i++;
      const e = or();
      if (peek() !== ')') fail('missing )');
      i++;
      return e;
    }
    if (/^[A-Za-z0-9_]+$/.test(t)) {
      i++;
      const leaf: Expr =
        t === 'y'
          ? { kind: 'const', value: 2 }
          : t === 'm'
            ? { kind: 'const', value: 1 }
            : t === 'n'
              ? { kind: 'const', value: 0 }
              : { kind: 'sym', name: t };
      const op = peek();
      if (op === '=' || op === '!=') {
        i++;
        return { kind: 'cmp', op, left: leaf, right: primary() };
      }
      return leaf;
    }
    return fail(`unexpected "${t}"`);
  };
  const and = (): Expr => {
    let e = primary();
    while (peek() === '&&') {
      i++;
      e = { kind: 'and', left: e, right: primary() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (peek() === '||') {
      i++;
      e = { kind: 'or', left: e, right: and() };
    }
    return e;
  };
  const e = or();
  if (i < toks.length) fail(`unexpected "${peek()}"`);
  return e;
}

export function evalExpr(e: Expr, value: (sym: string) => Tristate): Tristate {
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'sym':
      return value(e.name);
    case 'not':
      return (2 - evalExpr(e.arg, value)) as Tristate;
    case 'and':
      return Math.min(evalExpr(e.left, value), evalExpr(e.right, value)) as Tristate;
    case 'or':
      return Math.max(evalExpr(e.left, value), evalExpr(e.right, value)) as Tristate;
    case 'cmp': {
      const eq = evalExpr(e.left, value) === evalExpr(e.right, value);
      return (e.op === '=') === eq ? 2 : 0;
    }
  }
}

export function symbolsOf(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'sym':
      into.add(e.name);
      break;
    case 'not':
      symbolsOf(e.arg, into);
      break;
    case 'and':
    case 'or':
    case 'cmp':
      symbolsOf(e.left, into);
      symbolsOf(e.right, into);
      break;
  }
  return into;
}

export function exprToString(e: Expr, parent: 'or' | 'and' | 'top' = 'top'): string {
  switch (e.kind) {
    case 'const':
      return ['n', 'm', 'y'][e.value]!;
    case 'sym':
      return e.name;
    case 'not':
      return e.arg.kind === 'sym' || e.arg.kind === 'const' ? `!${exprToString(e.arg)}` : `!(${exprToString(e.arg)})`;
    case 'cmp':
      return `${exprToString(e.left)} ${e.op} ${exprToString(e.right)}`;
    case 'and': {
      const s = `${exprToString(e.left, 'and')} && ${exprToString(e.right, 'and')}`;
      return parent === 'or' ? `(${s})` : s;
    }
    case 'or': {
      const s = `${exprToString(e.left, 'or')} || ${exprToString(e.right, 'or')}`;
      return parent === 'and' ? `(${s})` : s;
    }
  }
}

export function andAll(parts: (Expr | undefined)[]): Expr | undefined {
  const xs = parts.filter((p): p is Expr => p !== undefined);
  if (xs.length === 0) return undefined;
  return xs.reduce((l, r) => ({ kind: 'and', left: l, right: r }));
}

/** A requirement a leaf puts on one symbol: it must be on (`want: true`) or off. */
export interface Need {
  sym: string;
  want: boolean;
}

/**
 * The unmet leaves of a dependency, as the smallest list of symbols to switch: for `||`
 * the cheaper branch (an already satisfied branch costs nothing). `cost` says how hard it
 * is to switch a symbol (Infinity when impossible, e.g. X86_64 on a 32-bit build), so that
 * an `||` prefers the branch that can be satisfied.
 */
export function unmetNeeds(e: Expr, value: (sym: string) => Tristate, cost: (n: Need) => number): { needs: Need[]; cost: number } {
  const go = (x: Expr, want: boolean): { needs: Need[]; cost: number } => {
    const v = evalExpr(x, value) > 0;
    if (v === want) return { needs: [], cost: 0 };
    switch (x.kind) {
      case 'const':
        return { needs: [], cost: Infinity };
      case 'sym': {
        const n = { sym: x.name, want };
        return { needs: [n], cost: cost(n) };
      }
      case 'not':
        return go(x.arg, !want);
      case 'cmp':
        return { needs: [], cost: Infinity };
      case 'and':
      case 'or': {
        // want(a && b) needs both; !want(a && b) needs either off (De Morgan), and vice versa.
        const both = (x.kind === 'and') === want;
        const l = go(x.left, want);
        const r = go(x.right, want);
        if (both) return { needs: [...l.needs, ...r.needs], cost: l.cost + r.cost };
        return l.cost <= r.cost ? l : r;
      }
    }
  };
  return go(e, true);
}
