/**
 * What a kernel file is at a glance, for a backend that boots it rather than models it (the
 * QEMU backend picks its flags and says "cannot run" from this): the kind, the architecture,
 * a bzImage's payload compression and the kernel release. Read with the image layer's own
 * readers (the setup header, ELF, the payload magic, the Linux banner), so there is one
 * reading of a bzImage header in the project.
 */
import { Bytes } from './bytes.ts';
import { isBzImage, readSetupHeader } from './bzimage.ts';
import { compressionOf } from './decompress/index.ts';
import { isElf, readElf } from './elf.ts';
import { findLinuxBanner } from './linux.ts';

export interface KernelFileFacts {
  kind: 'bzImage' | 'elf' | 'gzip' | 'unknown';
  arch?: 'x86_64' | 'x86_32';
  /** A bzImage's payload (boot protocol 2.08 and later): gzip, xz, ..., `none` for a plain ELF, or `unknown`. */
  compression?: string;
  /** `uname -r` of the kernel: the modules folder's name. */
  release?: string;
}

export function kernelFileFacts(buf: Uint8Array, file: string): KernelFileFacts {
  if (isBzImage(buf)) {
    let h: ReturnType<typeof readSetupHeader>;
    try {
      h = readSetupHeader(new Bytes(buf, file));
    } catch {
      return { kind: 'unknown' };
    }
    // XLF_KERNEL_64 (boot protocol 2.12): the kernel has a 64-bit entry point.
    const arch = h.xloadflags !== undefined && h.xloadflags & 1 ? 'x86_64' : 'x86_32';
    const compression =
      h.payloadOffset === undefined ? undefined : compressionOf(buf.subarray(h.payloadOffset, h.payloadOffset + (h.payloadLength ?? 0)));
    const release = h.kernelVersion?.split(' ')[0] || undefined;
    return { kind: 'bzImage', arch, compression, release };
  }
  if (isElf(buf)) {
    let machine: string | undefined;
    try {
      machine = readElf(new Bytes(buf, file)).machine;
    } catch {
      return { kind: 'unknown' };
    }
    const release = findLinuxBanner(buf)?.release;
    return { kind: 'elf', arch: machine === 'x86_64' ? 'x86_64' : machine === 'x86' ? 'x86_32' : undefined, release };
  }
  if (buf[0] === 0x1f && buf[1] === 0x8b) return { kind: 'gzip' };
  return { kind: 'unknown' };
}
