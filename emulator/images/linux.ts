/** Facts a Linux kernel image states about itself in its own bytes. */
import { indexOfAscii } from './bytes.ts';

const PREFIX = 'Linux version ';

/**
 * `Linux version 6.1.0-56-amd64 (debian-kernel@...) #1 SMP ...`, the kernel's linux_banner.
 * Some kernels carry two (6.1 keeps a template with an empty build number, "# SMP", next to
 * the real one): the one with a build number wins.
 */
export function findLinuxBanner(buf: Uint8Array): { banner: string; release: string } | undefined {
  const found: { banner: string; release: string }[] = [];
  let at = indexOfAscii(buf, PREFIX);
  while (at >= 0 && found.length < 8) {
    let end = at;
    while (end < buf.length && end - at < 512 && buf[end] !== 0 && buf[end] !== 0x0a) end++;
    const banner = Buffer.from(buf.buffer, buf.byteOffset + at, end - at).toString('latin1');
    const release = banner.slice(PREFIX.length).split(' ')[0] ?? '';
    // linux_proc_banner is "%s version %s ...": skip format strings.
    if (release.length > 0 && !release.includes('%')) found.push({ banner, release });
    at = indexOfAscii(buf, PREFIX, at + 1);
  }
  return found.find((f) => /#\d/.test(f.banner)) ?? found[0];
}
