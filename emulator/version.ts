/**
 * Versions of Xen and Linux for the models: the runner's comparison (one semantics for the
 * whole tool: a pre-release sorts before its release, `2.6.30-rc3 < 2.6.30`), parsed once
 * per text because the models compare the same few versions for every cell.
 */
import { compareVersions as compare, parseVersion as parse, type Version as Parsed } from '../contracts/version.ts';

export interface Version extends Parsed {
  readonly text: string;
}

const cache = new Map<string, Version>();

export function parseVersion(text: string): Version {
  let v = cache.get(text);
  if (v) return v;
  const parsed = parse(text);
  if (!parsed) throw new Error(`not a version: ${text}`);
  v = { ...parsed, text };
  cache.set(text, v);
  return v;
}

export function compareVersions(a: string | Version, b: string | Version): number {
  return compare(typeof a === 'string' ? parseVersion(a) : a, typeof b === 'string' ? parseVersion(b) : b);
}

/** since <= v < until (either end optional). */
export function inRange(v: string | Version, since?: string, until?: string): boolean {
  if (since !== undefined && compareVersions(v, since) < 0) return false;
  if (until !== undefined && compareVersions(v, until) >= 0) return false;
  return true;
}
