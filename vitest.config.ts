import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['model/test/**/*.test.ts'], testTimeout: 120_000 } });
