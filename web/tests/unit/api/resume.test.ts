import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/lib/api/backoff';
import { ResumeCursor } from '../../../src/lib/api/resume';

describe('ResumeCursor', () => {
  it('has no since before the first event', () => {
    expect(new ResumeCursor().since).toBeNull();
  });

  it('delivers each sequence once across a reconnect replay', () => {
    const cursor = new ResumeCursor();
    const delivered: string[] = [];
    for (const s of ['5', '6', '7']) if (cursor.accept(s)) delivered.push(s);
    // The socket drops; the next subscription asks from `since` and the server replays from
    // there (a server may also resend the boundary event): nothing twice, nothing missed.
    expect(cursor.since).toBe('7');
    for (const s of ['6', '7', '8', '9']) if (cursor.accept(s)) delivered.push(s);
    expect(delivered).toEqual(['5', '6', '7', '8', '9']);
  });

  it('compares as 64-bit integers, not text or floats', () => {
    const cursor = new ResumeCursor('9');
    expect(cursor.accept('10')).toBe(true); // '10' < '9' as text
    const big = new ResumeCursor('9007199254740993'); // 2^53 + 1
    expect(big.accept('9007199254740992')).toBe(false); // equal as a float
    expect(big.accept('9007199254740994')).toBe(true);
    expect(big.since).toBe('9007199254740994');
  });

  it('starts from a restored sequence and resets for another library', () => {
    const cursor = new ResumeCursor('100');
    expect(cursor.accept('100')).toBe(false);
    cursor.reset();
    expect(cursor.since).toBeNull();
    expect(cursor.accept('3')).toBe(true);
  });

  it('refuses what is not a sequence', () => {
    expect(() => new ResumeCursor().accept('1e3')).toThrow(TypeError);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter inside the bound', () => {
    const top = [0, 1, 2, 3, 10].map((a) => backoffDelay(a, 0.999999));
    expect(top).toEqual([500, 1000, 2000, 4000, 30000]);
    expect(backoffDelay(3, 0)).toBe(250);
    const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay(4, i / 20)));
    expect(spread.size).toBe(20);
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(250);
    for (const d of spread) expect(d).toBeLessThanOrEqual(8000);
  });
});
