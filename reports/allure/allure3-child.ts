/**
 * Allure 3 generation, run as a child process by generate.ts: Allure 3's core may end its
 * process on an error (a report too large for one file), and a child keeps its memory apart.
 * argv: RESULTS_DIR OUTPUT_DIR HISTORY_FILE SINGLE(0|1) NAME
 * The report is Allure 3's `allure2` plugin: the classic Allure UI, built by Node.
 */
import { AllureReport, resolveConfig } from '@allurereport/core';

const [resultsDir, output, historyPath, single, name] = process.argv.slice(2);
if (!resultsDir || !output || !historyPath) throw new Error('usage: allure3-child RESULTS OUTPUT HISTORY [SINGLE] [NAME]');
// the classic UI loads Google's analytics unless told not to; the report must load nothing from outside
process.env.ALLURE_NO_ANALYTICS = 'true';
const config = await resolveConfig(
  {
    name: name || 'pvmatrix',
    output,
    historyPath,
    plugins: { allure2: { options: { reportName: name || 'pvmatrix', singleFile: single === '1' } } },
  },
  {},
);
const report = new AllureReport(config);
await report.start();
await report.readDirectory(resultsDir);
await report.done();
