import { defineConfig } from '@playwright/test';

/**
 * bench/playwright.bench.ts: the emulator's cells as plain @playwright/test tests (no
 * browser), one test per cell, spread over several spec files that the bench generates
 * into PVMATRIX_PW_DIR. fullyParallel stays off (files are spread over the workers).
 * PVMATRIX_PW_REPORTS=DIR adds what pvmatrix writes: Allure results with each cell's
 * console attached (allure-playwright) and a JUnit file, as a user wanting both would.
 */
const reports = process.env.PVMATRIX_PW_REPORTS;
export default defineConfig({
  testDir: process.env.PVMATRIX_PW_DIR ?? 'generated',
  outputDir: `${process.env.PVMATRIX_PW_DIR ?? 'generated'}/test-results`,
  fullyParallel: false,
  workers: Number(process.env.PVMATRIX_PW_WORKERS ?? 2),
  retries: 0,
  reporter: reports
    ? [['dot'], ['junit', { outputFile: `${reports}/junit.xml` }], ['allure-playwright', { resultsDir: `${reports}/allure-results` }]]
    : [['dot']],
  timeout: 60_000,
});
