import { describe, expect, it } from 'vitest';
import { DoubleTapDetector, isTap } from '../../../src/lib/gestures/tap';

describe('isTap', () => {
  it('a quick press that stays put is a tap', () => {
    expect(isTap({ x: 10, y: 10 }, 0, { x: 14, y: 13 }, 120)).toBe(true);
  });
  it('a long press is not', () => {
    expect(isTap({ x: 10, y: 10 }, 0, { x: 10, y: 10 }, 600)).toBe(false);
  });
  it('a press that moved is a drag', () => {
    expect(isTap({ x: 10, y: 10 }, 0, { x: 40, y: 10 }, 100)).toBe(false);
  });
});

describe('DoubleTapDetector', () => {
  it('two quick taps close together are a double tap', () => {
    const d = new DoubleTapDetector();
    expect(d.tap({ x: 100, y: 100 }, 0)).toBe('single');
    expect(d.tap({ x: 110, y: 105 }, 200)).toBe('double');
  });
  it('taps too far apart in time are two singles', () => {
    const d = new DoubleTapDetector();
    d.tap({ x: 100, y: 100 }, 0);
    expect(d.tap({ x: 100, y: 100 }, 500)).toBe('single');
    // ...and the second one can start a new pair.
    expect(d.tap({ x: 100, y: 100 }, 650)).toBe('double');
  });
  it('taps too far apart in space are two singles', () => {
    const d = new DoubleTapDetector();
    d.tap({ x: 100, y: 100 }, 0);
    expect(d.tap({ x: 200, y: 100 }, 100)).toBe('single');
  });
  it('a third quick tap starts over instead of making another double', () => {
    const d = new DoubleTapDetector();
    d.tap({ x: 0, y: 0 }, 0);
    expect(d.tap({ x: 0, y: 0 }, 100)).toBe('double');
    expect(d.tap({ x: 0, y: 0 }, 200)).toBe('single');
  });
  it('reset forgets a pending first tap', () => {
    const d = new DoubleTapDetector();
    d.tap({ x: 0, y: 0 }, 0);
    d.reset();
    expect(d.tap({ x: 0, y: 0 }, 100)).toBe('single');
  });
});
