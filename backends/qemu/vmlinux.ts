/**
 * vmlinux out of a bzImage (or a vmlinux.gz): the image layer's job, reused here so that the
 * real backend boots exactly the ELF the emulator reads.
 */
export { extractVmlinux } from '../../emulator/images/index.ts';
