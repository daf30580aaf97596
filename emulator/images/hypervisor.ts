/**
 * Xen hypervisor images (xen.gz: a gzipped multiboot ELF32). The major and minor version
 * are immediates in Xen's code, so we read what version.c leaves as strings: the extra
 * version (".7"), which sits just before "<denied>", and its neighbours (changeset,
 * compiler, compile date), plus build_info's "debug=y|n" (Xen 4.x). A distro's changeset
 * often starts with the full version (Debian: "4.17.7+13-g2445b30a44-0+deb12u1"); else the
 * sibling .config's header or the file name gives major.minor.
 */
import { indexOfAscii } from './bytes.ts';
import type { Kconfig } from './kconfig.ts';
import type { ElfInfo, HypervisorInfo } from './types.ts';

const MB1_MAGIC = 0x1badb002;
const MB2_MAGIC = 0xe85250d6;

export function multibootHeaders(buf: Uint8Array): (1 | 2)[] {
  const v = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const found: (1 | 2)[] = [];
  for (let o = 0; o + 12 <= Math.min(buf.length, 8192); o += 4) {
    if (v.readUInt32LE(o) === MB1_MAGIC && (MB1_MAGIC + v.readUInt32LE(o + 4) + v.readUInt32LE(o + 8)) >>> 0 === 0) {
      found.push(1);
      break;
    }
  }
  for (let o = 0; o + 16 <= Math.min(buf.length, 32768); o += 8) {
    if (
      v.readUInt32LE(o) === MB2_MAGIC &&
      (MB2_MAGIC + v.readUInt32LE(o + 4) + v.readUInt32LE(o + 8) + v.readUInt32LE(o + 12)) >>> 0 === 0
    ) {
      found.push(2);
      break;
    }
  }
  return found;
}

export function looksLikeXen(buf: Uint8Array): boolean {
  return multibootHeaders(buf).length > 0 && indexOfAscii(buf, 'Xen version %d.%d%s') >= 0;
}

/** The NUL-separated strings just before `at`, nearest first. */
function stringsBefore(buf: Uint8Array, at: number, count: number): string[] {
  const out: string[] = [];
  let end = at - 1; // the NUL before `at`
  while (out.length < count && end > 0) {
    let start = end;
    while (start > 0 && buf[start - 1] !== 0) start--;
    out.push(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1'));
    end = start - 1;
    while (end > 0 && buf[end - 1] === 0 && buf[end] === 0) end--; // alignment padding
  }
  return out;
}

export function readHypervisor(buf: Uint8Array, elf: ElfInfo | undefined, opts: { config?: Kconfig; fileName?: string }): HypervisorInfo {
  const headers = multibootHeaders(buf);
  const info: HypervisorInfo = { version: 'unknown', multiboot: headers.includes(2) ? 2 : headers.includes(1) ? 1 : null };
  if (headers.length > 0) info.multibootHeaders = headers;
  if (elf) info.elf = elf;
  const build: NonNullable<HypervisorInfo['build']> = {};
  let majorMinor: string | undefined;
  const denied = indexOfAscii(buf, '\0<denied>\0');
  if (denied >= 0) {
    const near = stringsBefore(buf, denied + 1, 12);
    const extra = near[0];
    if (extra !== undefined && /^([.\-+~][\w.+~-]*)?$/.test(extra)) info.extra = extra;
    for (const s of near) {
      if (!build.compiler && /\b(gcc|clang)\b/i.test(s)) build.compiler = s;
      else if (!build.date && /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d/.test(s)) build.date = s;
      else if (!majorMinor && /^\d+\.\d+/.test(s)) {
        build.changeset = s;
        majorMinor = /^(\d+\.\d+)/.exec(s)![1];
      } else if (!build.changeset && /^(git:|unavailable)/.test(s)) build.changeset = s;
    }
    // compile_domain looks like a DNS name; compile_by sits just before it in .rodata.
    const domainAt = near.findIndex((s, i) => i > 0 && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(s) && !/^\d/.test(s));
    const by = domainAt > 0 ? near[domainAt + 1] : undefined;
    if (by && /^[\w.+-]+$/.test(by)) build.by = `${by}@${near[domainAt]}`;
    if (majorMinor) info.versionSource = 'image';
  }
  if (!majorMinor && opts.config?.version) {
    majorMinor = /^(\d+\.\d+)/.exec(opts.config.version)?.[1];
    if (majorMinor) info.versionSource = 'config';
  }
  if (!majorMinor && opts.fileName) {
    majorMinor = /xen-(\d+\.\d+)/.exec(opts.fileName)?.[1];
    if (majorMinor) info.versionSource = 'file name';
  }
  if (majorMinor) info.version = info.extra && /^\.\d+/.test(info.extra) ? `${majorMinor}${/^\.\d+/.exec(info.extra)![0]}` : majorMinor;
  if (Object.keys(build).length > 0) info.build = build;

  const flag = debugFlag(buf);
  if (flag !== undefined) {
    info.debug = flag;
    info.debugSource = 'image';
  } else if (opts.config && 'DEBUG' in opts.config.values) {
    info.debug = opts.config.values.DEBUG === 'y';
    info.debugSource = 'config';
  }
  return info;
}

/** build_info's "debug=y" / "debug=n" (followed by NUL or " gcov=y"...). */
function debugFlag(buf: Uint8Array): boolean | undefined {
  for (const value of ['y', 'n'] as const) {
    let at = indexOfAscii(buf, `\0debug=${value}`);
    while (at >= 0) {
      const next = buf[at + 8];
      if (next === 0 || next === 0x20) return value === 'y';
      at = indexOfAscii(buf, `\0debug=${value}`, at + 1);
    }
  }
  return undefined;
}
