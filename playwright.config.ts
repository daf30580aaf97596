import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the reports (matrix.html, the Allure report) in Debian's Chromium:
 * `npx playwright test`. Playwright never downloads a browser here; set PVMATRIX_CHROMIUM
 * to use another binary. Specs skip with a loud message when the browser is absent.
 */
export const chromiumPath = process.env.PVMATRIX_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    },
  },
});
