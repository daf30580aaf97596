/** Checking a step's `expect` against the value it produced. */
import type { Expect } from '../../domain/steps.ts';

/** undefined when the expectation holds, else what was wrong. */
export function check(expect: Expect, value: string | undefined): string | undefined {
  const shown = value === undefined ? 'nothing (no such file)' : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
  if (expect.exists !== undefined) {
    if (expect.exists && value === undefined) return 'expected it to exist, but it does not';
    if (!expect.exists && value !== undefined) return `expected it not to exist, saw ${shown}`;
  }
  if (expect.equals !== undefined && (value === undefined || value.trim() !== String(expect.equals)))
    return `expected ${JSON.stringify(String(expect.equals))}, saw ${shown}`;
  if (expect.matches !== undefined && (value === undefined || !new RegExp(expect.matches).test(value)))
    return `expected a match for /${expect.matches}/, saw ${shown}`;
  if (expect.contains !== undefined && (value === undefined || !value.includes(expect.contains)))
    return `expected it to contain ${JSON.stringify(expect.contains)}, saw ${shown}`;
  if (expect.absent && value?.includes(expect.absent)) return `expected no ${JSON.stringify(expect.absent)}, but it is there`;
  const n = value === undefined ? NaN : Number(value.trim());
  if (expect.atLeast !== undefined && !(n >= expect.atLeast)) return `expected at least ${expect.atLeast}, saw ${shown}`;
  if (expect.atMost !== undefined && !(n <= expect.atMost)) return `expected at most ${expect.atMost}, saw ${shown}`;
  return undefined;
}

export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60000);
}

/** A step size ("96M", "131072K", a number of bytes) in KiB. */
export function sizeKiB(size: string | number): number {
  if (typeof size === 'number') return Math.floor(size / 1024);
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(size.trim());
  if (!m) return NaN;
  const unit = m[2]!.toUpperCase();
  const kib = { '': 1 / 1024, K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 }[unit as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.floor(Number(m[1]) * kib);
}

const plain = new WeakMap<object, boolean>();

/** Whether a step's arguments mention `${...}` at all (cached per arguments object). */
function mentionsVars(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (!value || typeof value !== 'object') return false;
  let known = plain.get(value);
  if (known === undefined) plain.set(value, (known = JSON.stringify(value).includes('${')));
  return known;
}

/** `${name}` from earlier `as:` steps and `${axes.NAME}` from the cell. */
export function substitute<T>(value: T, vars: Record<string, string>, axes: Record<string, string>): T {
  if (!mentionsVars(value)) return value;
  return substituteAll(value, vars, axes);
}

function substituteAll<T>(value: T, vars: Record<string, string>, axes: Record<string, string>): T {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    return value.replace(/\$\{(axes\.)?([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, ax: string | undefined, name: string) => {
      const v = ax ? axes[name] : vars[name];
      if (v === undefined)
        throw new SubstitutionError(
          `${whole} is not defined${ax ? ` (the cell has no axis ${name})` : ' (no earlier step stored it with `as`)'}`,
        );
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substituteAll(v, vars, axes)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteAll(v, vars, axes)])) as T;
  }
  return value;
}

export class SubstitutionError extends Error {}
