import { readFileSync } from 'node:fs';
import type { Arch, Compression } from '../../domain/axes.ts';
import type { KernelProfile } from '../../domain/profiles.ts';
import { parseKconfig } from '../../emulator/images/kconfig.ts';
import { defaultXenConfig } from '../../emulator/kconfig/index.ts';

const KERNEL_COMPRESSION: [string, Compression][] = [
  ['KERNEL_GZIP', 'gzip'],
  ['KERNEL_BZIP2', 'bzip2'],
  ['KERNEL_LZMA', 'lzma'],
  ['KERNEL_LZO', 'lzo'],
  ['KERNEL_XZ', 'xz'],
  ['KERNEL_LZ4', 'lz4'],
  ['KERNEL_ZSTD', 'zstd'],
  ['KERNEL_UNCOMPRESSED', 'none'],
];

/** A bzImage's payload compression: its .config's choice, else what a Xen build of that version has. */
export function compressionOf(k: KernelProfile, arch: Arch): Compression {
  let config: Map<string, string>;
  try {
    config = k.config
      ? new Map(Object.entries(parseKconfig(readFileSync(k.config, 'latin1')).values))
      : defaultXenConfig(k.version, k.tree, arch);
  } catch {
    config = defaultXenConfig(k.version, k.tree, arch);
  }
  return KERNEL_COMPRESSION.find(([sym]) => config.get(sym) === 'y')?.[1] ?? 'gzip';
}
