/**
 * Why a run or a backend call was told to stop. The reason travels as the AbortSignal's
 * `reason`, so that whoever sees the signal fire (the scheduler, a backend) can tell a
 * Ctrl-C (drop the cell: it did not finish, a resumed run redoes it) from a timeout (the
 * cell finished badly: it is `broken`, with this message as its reason).
 */
export class RunStop extends Error {
  override name = 'RunStop';
  constructor(
    readonly kind: 'interrupt' | 'run-timeout' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

/** Why `signal` fired; a plain abort() counts as an interrupt. */
export function stopOf(signal: AbortSignal): RunStop | undefined {
  if (!signal.aborted) return undefined;
  return signal.reason instanceof RunStop ? signal.reason : new RunStop('interrupt', 'interrupted');
}

export function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(3)} s`;
}
