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
  // Loaded when chosen (a literal specifier, so type checked like any import).
  qemu: async () => (await import('./qemu/index.ts')).createQemuBackend(),
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
