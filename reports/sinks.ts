import type { ResultSink } from '../contracts/results.ts';
import { AllureSink } from './allure/sink.ts';
import { JUnitSink, junitPath } from './junit/sink.ts';
import { MarkdownSummarySink } from './markdown/sink.ts';

/**
 * The writers `run --out DIR` feeds besides results.json: DIR/allure-results/, DIR/junit.xml,
 * DIR/summary.md (also appended to $GITHUB_STEP_SUMMARY when set). Each writes to a temp
 * name and renames at the end, so an interrupted run leaves the previous outputs whole.
 */
export function reportSinks(outDir: string): ResultSink[] {
  return [new AllureSink(outDir), new JUnitSink(junitPath(outDir)), new MarkdownSummarySink(outDir)];
}
