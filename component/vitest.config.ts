import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { digitPhoto, memoryCounters, numberPhoto, realStroke, setDeviceScaleFactor, workerNames } from './test/support/commands.js';
import { digitsInHand, padDigits, postcodes } from './test/support/handwriting.js';
import { componentTestServer } from './test/support/test-server.js';

/** Debian's chromium (Playwright cannot download its own here); flags keep it off the closed network. */
const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  plugins: [componentTestServer()],
  test: {
    name: 'component',
    root: new URL('..', import.meta.url).pathname,
    include: ['component/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One file at a time: WebGL on SwiftShader is CPU-heavy and the machine is shared.
    fileParallelism: false,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs } }),
      instances: [{ browser: 'chromium' }],
      viewport: { width: 800, height: 900 },
      commands: {
        digitPhoto,
        digitsInHand,
        memoryCounters,
        numberPhoto,
        padDigits,
        postcodes,
        realStroke,
        setDeviceScaleFactor,
        workerNames,
      },
    },
  },
});
