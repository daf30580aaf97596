/**
 * The x86 boot protocol's setup header (Documentation/x86/boot.rst), as Xen's
 * bzimage.c and libxc's bzimage loader read it: "HdrS" at 0x202, the version word at
 * 0x206, and from 2.08 the payload's offset and length relative to the protected-mode code.
 */
import type { Bytes } from './bytes.ts';
import type { BzImageInfo } from './types.ts';

export const HDRS_OFFSET = 0x202;
const HDRS = 0x53726448; // "HdrS" little endian

export function isBzImage(buf: Uint8Array): boolean {
  return buf.length >= 0x210 && buf[0x202] === 0x48 && buf[0x203] === 0x64 && buf[0x204] === 0x72 && buf[0x205] === 0x53;
}

export interface SetupHeader extends Omit<BzImageInfo, 'compression' | 'payload' | 'payloadSize'> {
  /** Where the protected-mode kernel starts in the file: (setup_sects + 1) * 512. */
  protectedModeOffset: number;
}

export function readSetupHeader(b: Bytes): SetupHeader {
  if (b.u32(HDRS_OFFSET, true, 'setup header magic') !== HDRS) b.fail(HDRS_OFFSET, 'no "HdrS" magic: not a bzImage');
  const version = b.u16(0x206, true, 'boot protocol version');
  const major = version >> 8;
  const minor = version & 0xff;
  if (major !== 2) b.fail(0x206, `boot protocol version ${major}.${minor} is not 2.x`);
  let setupSects = b.u8(0x1f1, 'setup_sects');
  if (setupSects === 0) setupSects = 4; // "if this field is 0, the real value is 4"
  const protectedModeOffset = (setupSects + 1) * 512;
  if (protectedModeOffset > b.length)
    b.fail(0x1f1, `setup_sects ${setupSects} puts the kernel at ${protectedModeOffset}, past the end of the file (${b.length} bytes)`);
  const h: SetupHeader = {
    protocol: `${major}.${String(minor).padStart(2, '0')}`,
    setupSects,
    protectedModeOffset,
    bootFlag: b.u16(0x1fe),
    loadflags: b.u8(0x211, 'loadflags'),
  };
  const versionPtr = b.u16(0x20e, true, 'kernel_version');
  if (versionPtr !== 0) {
    const at = versionPtr + 0x200;
    if (at >= b.length) b.fail(0x20e, `kernel_version points to ${at}, past the end of the file`);
    const text = b.cstr(at, 256, 'kernel version string');
    if (text.length > 0) h.kernelVersion = text;
  }
  if (minor >= 8) {
    const payloadOffset = b.u32(0x248, true, 'payload_offset');
    const payloadLength = b.u32(0x24c, true, 'payload_length');
    const start = protectedModeOffset + payloadOffset;
    if (start + payloadLength > b.length) {
      b.fail(
        0x248,
        `payload (offset ${payloadOffset}, length ${payloadLength}) ends at ${start + payloadLength}, past the end of the file (${b.length} bytes)`,
      );
    }
    h.payloadOffset = start;
    h.payloadLength = payloadLength;
  }
  if (minor >= 10) h.initSize = b.u32(0x260, true, 'init_size');
  if (minor >= 12) h.xloadflags = b.u16(0x236, true, 'xloadflags');
  return h;
}
