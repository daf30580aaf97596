import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The lines of a file, read in 1 MiB chunks, so a journal or results.json of 100,000 cells
 * is never one string in memory. Yields each complete line with the byte offset just after
 * it; a last line without its newline (a write cut by a power loss) is reported as `torn`.
 */
export function* fileLines(path: string): Generator<{ line: string; end: number; torn?: boolean }> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let rest: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    let offset = 0;
    for (let n: number; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) {
      let buf: Buffer<ArrayBufferLike> = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl: number; (nl = buf.indexOf(10, start)) >= 0; start = nl + 1) {
        offset += nl + 1 - start;
        yield { line: buf.toString('utf8', start, nl), end: offset };
      }
      rest = Buffer.from(buf.subarray(start));
      buf = rest;
    }
    if (rest.length) yield { line: rest.toString('utf8'), end: offset + rest.length, torn: true };
  } finally {
    closeSync(fd);
  }
}
