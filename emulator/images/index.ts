/** The image layer: read kernel and hypervisor images and .config files (see types.ts). */
export * from './types.ts';
export {
  inspectFile,
  extractVmlinux,
  clearImageCache,
  useImageInfoStore,
  type ImageInfoStore,
  siblingConfigPath,
  imageCacheStats,
  fileError,
  MAX_FILE,
} from './read.ts';
export { inspectBytes, unpack, sha256, type InspectOptions } from './inspect.ts';
export { readElf, isElf, parseXenGuest } from './elf.ts';
export { readSetupHeader, isBzImage } from './bzimage.ts';
export { compressionOf, decompress } from './decompress/index.ts';
export { parseKconfig, findIkconfig, looksLikeKconfig, type Kconfig } from './kconfig.ts';
export { findLinuxBanner } from './linux.ts';
export { readHypervisor, multibootHeaders } from './hypervisor.ts';
export { decodeXenNotes, declaresDom0, XEN_ELFNOTES, XENFEAT_DOM0 } from './xen-notes.ts';
export { Bytes, MAX_OUTPUT } from './bytes.ts';
