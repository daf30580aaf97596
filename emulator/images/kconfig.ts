/**
 * Kernel and hypervisor `.config` files (Kconfig output) and Linux's embedded IKCONFIG.
 * Values keep their Kconfig meaning: "y", "m", "n" (from `# CONFIG_X is not set`), numbers
 * and hex as written, strings without their quotes.
 */
import { indexOfAscii } from './bytes.ts';
import { gunzip } from './decompress/gzip.ts';
import { MAX_OUTPUT } from './bytes.ts';

const SET = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/;
const UNSET = /^# CONFIG_([A-Za-z0-9_]+) is not set$/;
const HEADER = /^# ([\w/.-]+) (\S+) (?:Kernel )?Configuration$/;
/** Before 2.6.28 (Kconfig's older header): `# Linux kernel version: 2.6.18`. */
const OLD_HEADER = /^# (Linux) kernel version: (\S+)$/;

export interface Kconfig {
  values: Record<string, string>;
  /** From the `# Linux/x86 6.1.192 Kernel Configuration` (or older `# Linux kernel version: 2.6.18`) line. */
  product?: string;
  version?: string;
}

export function parseKconfig(text: string): Kconfig {
  const values: Record<string, string> = {};
  const out: Kconfig = { values };
  for (const line of text.split(/\r?\n/)) {
    const set = SET.exec(line);
    if (set) {
      values[set[1]!] = unquote(set[2]!);
      continue;
    }
    const unset = UNSET.exec(line);
    if (unset) {
      values[unset[1]!] = 'n';
      continue;
    }
    const header = out.version === undefined ? (HEADER.exec(line) ?? OLD_HEADER.exec(line)) : null;
    if (header) {
      out.product = header[1]!;
      out.version = header[2]!;
    }
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return v;
}

/** Does this look like a Kconfig file? (Text, with at least one CONFIG_ line near the top.) */
export function looksLikeKconfig(buf: Uint8Array): boolean {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 8192));
  for (const byte of head) if (byte < 9) return false; // NUL and control bytes: binary
  return /^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)/m.test(head.toString('latin1'));
}

/** The .config a kernel built with CONFIG_IKCONFIG carries: gzip data between IKCFG_ST and IKCFG_ED. */
export function findIkconfig(buf: Uint8Array, file: string, base = 0): Kconfig | undefined {
  const start = indexOfAscii(buf, 'IKCFG_ST');
  if (start < 0) return undefined;
  const end = indexOfAscii(buf, 'IKCFG_ED', start + 8);
  const data = buf.subarray(start + 8, end < 0 ? buf.length : end);
  const text = gunzip(data, { file, offset: base + start + 8, limit: Math.min(MAX_OUTPUT, 64 << 20) });
  return parseKconfig(Buffer.from(text.buffer, text.byteOffset, text.length).toString('latin1'));
}
