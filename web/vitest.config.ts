import { defineConfig } from 'vitest/config';

// Framework-free modules (src/lib/**) are tested in Node; pages are tested end to end by pytest.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
