/** The one-line command that runs a cell alone, as every CellResult carries it. */
export function reproducer(matrixFile: string, cellId: string, backend: string, defaultBackend: string): string {
  const parts = ['npx', 'pvmatrix', 'run', '--matrix', shellQuote(matrixFile), '--grep', shellQuote(`^${escapeRegex(cellId)}$`)];
  if (backend !== defaultBackend) parts.push('--backend', shellQuote(backend));
  return parts.join(' ');
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_\-.,/:=@%+]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
