/**
 * Versions as the matrix format compares them: numeric components, left to right (a missing
 * component counts as 0, so "3.4" == "3.4.0"); a pre-release (`-rc3`, `-pre1`, `~beta2`)
 * sorts before its release. Other suffixes (`+deb12u1`, `-xen`) do not change the order.
 */
export interface Version {
  parts: number[];
  /** Undefined for a release; otherwise [rank of the tag, its number]. */
  pre?: [number, number];
}

const VERSION = /^(\d+(?:\.\d+)*)(.*)$/;
const PRE = /^[-.~]?(alpha|a|beta|b|pre|rc)\.?(\d*)/i;
const PRE_RANK: Record<string, number> = { alpha: 0, a: 0, beta: 1, b: 1, pre: 2, rc: 3 };

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const parts = m[1]!.split('.').map(Number);
  const rest = m[2]!;
  const pre = PRE.exec(rest);
  if (pre) return { parts, pre: [PRE_RANK[pre[1]!.toLowerCase()]!, pre[2] ? Number(pre[2]) : 0] };
  if (rest.startsWith('~')) return { parts, pre: [-1, 0] };
  // `-xen`, `+deb12u1`: a build of that release. Anything else (`3.x`) is not a version.
  if (rest === '' || /^[-+][0-9A-Za-z][0-9A-Za-z.+~-]*$/.test(rest)) return { parts };
  return undefined;
}

export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (!a.pre && !b.pre) return 0;
  if (!a.pre) return 1;
  if (!b.pre) return -1;
  const d = a.pre[0] - b.pre[0] || a.pre[1] - b.pre[1];
  return d === 0 ? 0 : d < 0 ? -1 : 1;
}

/** A version test written in a condition: `>=3.4`, `<2.6.27`, `2.6.23..2.6.29` (both ends included). */
export type VersionTest = (v: Version) => boolean;

const OPERATOR = /^(>=|<=|>|<)\s*(.*)$/;

/**
 * Parses a range expression; undefined when the text is no range at all (a plain value id),
 * an error string when it looks like one but is malformed.
 */
export function parseRange(text: string): VersionTest | string | undefined {
  const op = OPERATOR.exec(text);
  if (op) {
    const bound = parseVersion(op[2]!);
    if (!bound) return `bad range "${text}": "${op[2]}" is not a version (write ${op[1]}3.4)`;
    switch (op[1]) {
      case '>=':
        return (v) => compareVersions(v, bound) >= 0;
      case '<=':
        return (v) => compareVersions(v, bound) <= 0;
      case '>':
        return (v) => compareVersions(v, bound) > 0;
      default:
        return (v) => compareVersions(v, bound) < 0;
    }
  }
  const dots = text.indexOf('..');
  if (dots >= 0) {
    const lo = parseVersion(text.slice(0, dots));
    const hi = parseVersion(text.slice(dots + 2));
    if (!lo || !hi) return `bad range "${text}": write LOW..HIGH with two versions, e.g. 2.6.23..2.6.29`;
    if (compareVersions(lo, hi) > 0) return `bad range "${text}": the low end is above the high end`;
    return (v) => compareVersions(v, lo) >= 0 && compareVersions(v, hi) <= 0;
  }
  if (/^[<>=]/.test(text)) return `bad range "${text}": use >=, >, <=, < or LOW..HIGH`;
  return undefined;
}
