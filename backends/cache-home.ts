import { homedir } from 'node:os';
import { join } from 'node:path';

/** pvmatrix's cache folder: ~/.cache/pvmatrix, or PVMATRIX_CACHE. Never the repository. */
export const cacheHome = (): string => process.env.PVMATRIX_CACHE || join(homedir(), '.cache', 'pvmatrix');
