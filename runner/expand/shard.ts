import { UserError } from '../../contracts/errors.ts';

/** Shard K of N (1-based), as `--shard K/N` writes it. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) throw new UserError(`--shard ${text}: write K/N with 1 <= K <= N, e.g. --shard 2/3`);
  return { index: k, count: n };
}

/**
 * FNV-1a (32-bit) of the cell id. A cell's shard depends on its id alone, so adding,
 * removing or reordering other cells never moves it. Ids are ASCII (value ids are).
 */
export function cellHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function inShard(id: string, shard: Shard): boolean {
  return cellHash(id) % shard.count === shard.index - 1;
}

export function formatShard(shard: Shard | undefined): string | undefined {
  return shard ? `${shard.index}/${shard.count}` : undefined;
}
