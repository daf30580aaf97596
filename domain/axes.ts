/**
 * Axes whose values pvmatrix gives a meaning to. Values outside these lists are errors
 * (with the list shown); `xen` and `kernel` are open: their values are profile names.
 */
export const FORMATS = ['bzImage', 'vmlinux', 'vmlinux.gz'] as const;
/** Payload compression of a bzImage; `none` is Linux's KERNEL_UNCOMPRESSED. */
export const COMPRESSIONS = ['gzip', 'bzip2', 'lzma', 'lzo', 'xz', 'lz4', 'zstd', 'none'] as const;
export const ARCHES = ['x86_32', 'x86_32-pae', 'x86_64', 'ia64'] as const;
export const ROLES = ['dom0', 'domU'] as const;

export type Format = (typeof FORMATS)[number];
export type Compression = (typeof COMPRESSIONS)[number];
export type Arch = (typeof ARCHES)[number];
export type Role = (typeof ROLES)[number];

export const CLOSED_AXES: Record<string, readonly string[]> = {
  format: FORMATS,
  compression: COMPRESSIONS,
  arch: ARCHES,
  role: ROLES,
};
