import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs TypeScript tests in Node', () => {
    expect([3, 1, 2].toSorted()).toEqual([1, 2, 3]);
  });
});
