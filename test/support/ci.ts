/** Whether this is a CI run (CI=true, as .ci/run and every CI service set it): there a missing artifact fails, never skips. */
export function inCI(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}
