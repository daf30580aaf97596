/**
 * The image layer on Debian's real xz bzImage: a cold inspection (read, hash, header,
 * xz decompression, ELF and notes), the same inspection again from the cache, and the
 * hybrid xz path (native LZMA2 + BCJ) against xz-compat's pure-JS decoder.
 */
import { readFileSync } from 'node:fs';
import { resolveGlob } from '../emulator/profiles.ts';
import type { BenchRow } from './row.ts';
import { clearImageCache, inspectFile, inspectBytes } from '../emulator/images/index.ts';
import { loadXzCompat } from '../emulator/images/decompress/xz.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** CPU time of the process (all threads): what the work costs, less sensitive than wall time to a busy machine. */
async function cpu(fn: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

export default async function (): Promise<BenchRow[]> {
  // Debian's installed 6.1 kernel, whichever ABI is current; the rows name it without the ABI.
  const path = resolveGlob('/boot/vmlinuz-6.1.*-amd64');
  if (!path) {
    process.stderr.write('images bench: SKIPPED, no /boot/vmlinuz-6.1.*-amd64 here (install linux-image-amd64)\n');
    return [];
  }
  const kernel = "Debian's 6.1 vmlinuz";
  await loadXzCompat(); // module loading is not what we measure

  const cold: number[] = [];
  for (let i = 0; i < 3; i++) {
    clearImageCache();
    cold.push(await time(() => inspectFile(path)));
  }
  clearImageCache();
  const coldCpu = await cpu(() => inspectFile(path));
  const warm: number[] = [];
  for (let i = 0; i < 200; i++) warm.push(await time(() => inspectFile(path)));

  const bytes = readFileSync(path);
  const hybrid: number[] = [];
  const pure: number[] = [];
  for (let i = 0; i < 2; i++) {
    hybrid.push(await time(() => inspectBytes(bytes, { file: path, xzMode: 'hybrid' })));
    pure.push(await time(() => inspectBytes(bytes, { file: path, xzMode: 'pure' })));
  }
  const size = `${(bytes.length / 2 ** 20).toFixed(1)} MiB`;
  return [
    {
      name: `inspect ${kernel} cold (xz, ${size})`,
      value: median(cold),
      unit: 'ms',
      note: 'median of 3; read + sha256 + decompress + ELF; target < 2000',
    },
    {
      name: `inspect ${kernel} cold, CPU time`,
      value: coldCpu,
      unit: 'ms',
      note: 'user+system, all threads; wall time above includes waiting for a busy machine',
    },
    { name: `inspect ${kernel} again (stat cache)`, value: median(warm), unit: 'ms', note: 'median of 200; target < 1' },
    { name: 'xz hybrid (napi LZMA2 + xz-compat BCJ), whole inspect', value: median(hybrid), unit: 'ms', note: 'median of 2' },
    { name: 'xz pure (xz-compat decodeXZ), whole inspect', value: median(pure), unit: 'ms', note: 'median of 2' },
    { name: 'xz pure / hybrid', value: median(pure) / median(hybrid), unit: 'x', note: 'how much the native LZMA2 path saves' },
  ];
}
