import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the sources, not dist/: each workspace package by its exact name.
    alias: ['contracts', 'bus', 'service-kit', 'test-utils', 'label-synth', 'ocr-worker', 'ingest', 'med-store', 'ops'].map((name) => ({
      find: new RegExp(`^@rxscan/${name}$`),
      replacement: pkg(name),
    })),
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Fault and end-to-end tests run real OCR on two shared cores: minutes, not seconds, under load.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Integration, fault and end-to-end suites start real servers and OCR workers; on two cores
    // they time each other out when run side by side. One file at a time is predictable.
    fileParallelism: false,
  },
});
