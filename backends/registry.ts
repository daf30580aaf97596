import { UserError } from '../contracts/errors.ts';
import { didYouMean } from '../lib/suggest.ts';
import type { Backend } from '../contracts/backend.ts';

export type BackendFactory = () => Promise<Backend>;

export const DEFAULT_BACKEND = 'emulator';

/** The backends `run --backend NAME` knows, each imported only when chosen. */
export const backendFactories: Readonly<Record<string, BackendFactory>> = {
  emulator: async () => {
    const [{ createEmulatorBackend }, { diskImageStore }, { useImageInfoStore }] = await Promise.all([
      import('./emulator.ts'),
      import('./image-store.ts'),
      import('../emulator/images/index.ts'),
    ]);
    useImageInfoStore(diskImageStore());
    return createEmulatorBackend();
  },
  qemu: async () => {
    // A variable specifier keeps the type checker and the emulator path independent of
    // whether backends/qemu/ is present in this checkout.
    const specifier = './qemu/index.ts';
    let mod: { createQemuBackend?: () => Backend };
    try {
      mod = (await import(specifier)) as typeof mod;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('qemu')) {
        throw new UserError('the qemu backend is not available in this installation (backends/qemu/ is missing)');
      }
      throw e;
    }
    if (!mod.createQemuBackend) throw new Error('backends/qemu/index.ts does not export createQemuBackend');
    return mod.createQemuBackend();
  },
};

export async function createBackend(
  name: string,
  factories: Readonly<Record<string, BackendFactory>> = backendFactories,
): Promise<Backend> {
  const factory = Object.hasOwn(factories, name) ? factories[name] : undefined;
  if (!factory) {
    const names = Object.keys(factories);
    throw new UserError(`--backend ${name}: unknown backend${didYouMean(name, names)}; backends: ${names.join(', ')}`);
  }
  return factory();
}
