/** The line of a command's output that says why it refused (xl, insmod, a sysfs write). */
export function reasonLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.find((l) =>
    /panic|error|refus|not supported|denied|invalid|cannot|can't|must be|no such|not available|died|failed/i.test(l),
  );
  return telling ?? lines.at(-1) ?? 'the command failed without a message';
}
