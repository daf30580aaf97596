import type { Command } from '../command.ts';

/** Every `pvmatrix <name>` command, loaded only when used. Add one command per line. */
export const commands: Readonly<Record<string, () => Promise<{ command: Command }>>> = {
  validate: () => import('./validate.ts'),
  list: () => import('./list.ts'),
  run: () => import('./run.ts'),
  merge: () => import('./merge.ts'),
  report: () => import('./report.ts'),
  serve: () => import('./serve.ts'),
  diff: () => import('./diff.ts'),
  'check-config': () => import('./check-config.ts'),
  grub: () => import('./grub.ts'),
  inspect: () => import('./inspect.ts'),
  setup: () => import('./setup.ts'),
  facts: () => import('./facts.ts'),
};
