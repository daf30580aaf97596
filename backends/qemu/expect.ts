import type { Expect } from '../../domain/steps.ts';

/**
 * The verdict on a value the agent reported, decided here with JavaScript's semantics (the
 * agent's own shell check only decides when to stop polling). Undefined when it holds,
 * otherwise what differed.
 */
export function checkValue(
  raw: string,
  e: Expect | undefined,
  vars: Record<string, string>,
  axes: Record<string, string>,
): string | undefined {
  if (!e) return undefined;
  const v = raw.trim();
  const sub = (x: string | number) =>
    String(x)
      .replace(/\$\{axes\.([A-Za-z0-9_-]+)\}/g, (_, a: string) => axes[a] ?? '')
      .replace(/\$\{([a-z_][a-z0-9_]*)\}/gi, (_, n: string) => vars[n] ?? '');
  const show = (s: string) => (s.length > 120 ? `${JSON.stringify(s.slice(0, 120))}…` : JSON.stringify(s));
  if (e.exists !== undefined && v !== (e.exists ? 'exists' : 'absent')) return e.exists ? 'the path does not exist' : 'the path exists';
  if (e.equals !== undefined) {
    const want = sub(e.equals).trim();
    const numeric = /^-?\d+(\.\d+)?$/;
    const same = numeric.test(want) && numeric.test(v) ? Number(want) === Number(v) : want === v;
    if (!same) return `expected ${show(want)}, got ${show(v)}`;
  }
  if (e.contains !== undefined && !v.includes(sub(e.contains))) return `expected to contain ${show(sub(e.contains))}`;
  if (e.absent !== undefined && v.includes(sub(e.absent))) return `expected no ${show(sub(e.absent))}`;
  if (e.matches !== undefined && !new RegExp(sub(e.matches), 'm').test(v)) return `expected to match /${e.matches}/, got ${show(v)}`;
  const num = Number(v.split(/\s+/)[0]);
  if (e.atLeast !== undefined && !(num >= e.atLeast)) return `expected at least ${e.atLeast}, got ${show(v)}`;
  if (e.atMost !== undefined && !(num <= e.atMost)) return `expected at most ${e.atMost}, got ${show(v)}`;
  return undefined;
}

/** The line of a command's output that says why it refused (xl, insmod, a sysfs write). */
export function reasonLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.find((l) =>
    /panic|error|refus|not supported|denied|invalid|cannot|can't|must be|no such|not available|died|failed/i.test(l),
  );
  return telling ?? lines.at(-1) ?? 'the command failed without a message';
}
