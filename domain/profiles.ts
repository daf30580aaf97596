import { z } from 'zod';

/** A version written as a string: `4.10` must never become the float 4.1. */
export const VersionString = z.string().regex(/^\d+(\.\d+)*([-.+~][0-9A-Za-z.+~-]+)?$/, {
  message: 'a version such as "3.4", "4.1.5" or "2.6.30-rc3"',
});

/**
 * A Xen build: a base release plus what the builder changed. `preset` names a known
 * distro build (emulator/knowledge/distro-builds.yaml) whose fields this profile extends.
 */
export const XenProfile = z
  .object({
    /** The upstream release the build is based on. Required unless `preset` gives it. */
    version: VersionString.optional(),
    preset: z.string().optional(),
    /** Shown in reports instead of the value id. */
    name: z.string().optional(),
    /** Hypervisor built with debug=y (Config.mk) / CONFIG_DEBUG (Kconfig, 4.8+). */
    debug: z.boolean().optional(),
    /** Capabilities backported into this build (ids from emulator/knowledge/xen-*.yaml). */
    backports: z.array(z.string()).optional(),
    /** Build options: `pv32: false` is a 4.14+ build with CONFIG_PV32 off (Debian's 4.17). */
    build: z.object({ pv32: z.boolean().optional(), shadowPaging: z.boolean().optional() }).strict().optional(),
    /** The toolstack in use; by default the release's default (xend before 4.2, xl after). */
    toolstack: z.enum(['xend', 'xl']).optional(),
    /** Hypervisor command line, e.g. `dom0_mem=512M loglvl=all guest_loglvl=all`. */
    cmdline: z.string().optional(),
    /** The kernel profile that serves as dom0 for domU cells (default: the release's usual one). */
    dom0: z.string().optional(),
    /**
     * The real backend: the dom0 kernel image it boots for domU cells (globs allowed; its
     * modules from /lib/modules/<release>). Default: the host's /boot/vmlinuz-*-amd64.
     */
    dom0Image: z.string().optional(),
    /** A real hypervisor image (xen.gz); globs allowed. Read when present. */
    image: z.string().optional(),
    /** The hypervisor's .config; globs allowed. Read when present. */
    config: z.string().optional(),
    /** Where this build is documented (a page, a changelog, a commit). */
    source: z.string().optional(),
  })
  .strict();
export type XenProfile = z.infer<typeof XenProfile>;

export const KERNEL_TREES = ['mainline', 'xen', 'tip', 'xen.git', 'distro'] as const;

/**
 * A Linux kernel: version and tree, and optionally the real files. Without `image`, the
 * emulator describes the kernel from version, tree, arch and config.
 * Trees: mainline (kernel.org), xen (the classic 2.6.18-xen XenLinux patches), tip (Ingo
 * Molnar's tip.git x86/xen work), xen.git (Jeremy Fitzhardinge's 2009 pv-ops dom0 tree),
 * distro (a distribution's build of mainline).
 */
export const KernelProfile = z
  .object({
    version: VersionString,
    tree: z.enum(KERNEL_TREES).default('mainline'),
    name: z.string().optional(),
    /** bzImage, vmlinux or vmlinux.gz; globs allowed. Read when present. */
    image: z.string().optional(),
    /** The kernel's .config; globs allowed. Read when present. */
    config: z.string().optional(),
    /** CONFIG_* values that differ from the (read or modelled) config: `{XENFS: n}`. */
    configOverrides: z.record(z.string().regex(/^[A-Z0-9_]+$/), z.string()).optional(),
    /** Extra kernel command line for every boot of this kernel. */
    cmdline: z.string().optional(),
    source: z.string().optional(),
  })
  .strict();
export type KernelProfile = z.infer<typeof KernelProfile>;
