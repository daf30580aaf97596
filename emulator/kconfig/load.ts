import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { Requirements, Rules } from './schema.ts';

/**
 * The knowledge files of this folder, read once. They ship with pvmatrix, so a mistake in
 * them is a bug: the error names the file and the path inside it.
 */
function load<T>(name: string, schema: z.ZodType<T>): T {
  const file = fileURLToPath(new URL(name, import.meta.url));
  const parsed = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

let rules: Rules | undefined;
let requirements: Requirements | undefined;

export function kconfigRules(): Rules {
  return (rules ??= load('rules.yaml', Rules));
}

export function kconfigRequirements(): Requirements {
  return (requirements ??= load('requirements.yaml', Requirements));
}
