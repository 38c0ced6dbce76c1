import { describe, expect, it } from 'vitest';
import { classifySwipe, lockAxis, VelocityTracker } from '../../../src/lib/gestures/swipe';

const viewport = { width: 400, height: 800 };

describe('lockAxis', () => {
  it('waits until the finger has moved past the slop', () => {
    expect(lockAxis(5, 5, 10)).toBeNull();
    expect(lockAxis(0, 9.9, 10)).toBeNull();
  });
  it('locks to the dominant axis', () => {
    expect(lockAxis(-12, 4)).toBe('x');
    expect(lockAxis(3, 15)).toBe('y');
    expect(lockAxis(-3, -15)).toBe('y');
  });
});

describe('classifySwipe', () => {
  const swipe = (dx: number, dy: number, vx: number, vy: number, axis: 'x' | 'y') =>
    classifySwipe({ dx, dy, vx, vy, axis, viewport });

  it('a long slow drag left goes to the next photo, right to the previous', () => {
    expect(swipe(-120, 0, -0.05, 0, 'x')).toBe('next');
    expect(swipe(120, 0, 0.05, 0, 'x')).toBe('previous');
  });
  it('a short slow drag snaps back', () => {
    expect(swipe(-60, 0, -0.1, 0, 'x')).toBe('none');
  });
  it('a short fast flick commits', () => {
    expect(swipe(-40, 0, -0.9, 0, 'x')).toBe('next');
    expect(swipe(45, 0, 0.8, 0, 'x')).toBe('previous');
  });
  it('a fast jitter shorter than a flick does not', () => {
    expect(swipe(-12, 0, -1.5, 0, 'x')).toBe('none');
  });
  it('a flick back against the drag cancels it, even past the distance', () => {
    expect(swipe(-150, 0, 0.6, 0, 'x')).toBe('none');
  });
  it('down closes, up opens the info', () => {
    expect(swipe(0, 220, 0, 0.1, 'y')).toBe('close');
    expect(swipe(0, 50, 0, 0.7, 'y')).toBe('close');
    expect(swipe(0, -60, 0, -0.8, 'y')).toBe('info');
    expect(swipe(0, 100, 0, 0.1, 'y')).toBe('none'); // 100 px of 800: not far enough
  });
  it('no movement is nothing', () => {
    expect(swipe(0, 0, 0, 0, 'x')).toBe('none');
  });
});

describe('VelocityTracker', () => {
  it('measures over the recent window, not the whole drag', () => {
    const v = new VelocityTracker(100);
    // Slow for 500 ms, then a fast 50 ms flick.
    for (let t = 0; t <= 500; t += 20) v.add({ x: t * 0.05, y: 0 }, t);
    v.add({ x: 25 + 40, y: 0 }, 550);
    const speed = v.velocity(550).x;
    expect(speed).toBeGreaterThan(0.3);
    expect(speed).toBeLessThan(1);
  });
  it('is zero once the finger has rested', () => {
    const v = new VelocityTracker(100);
    v.add({ x: 0, y: 0 }, 0);
    v.add({ x: 50, y: 0 }, 50);
    expect(v.velocity(50).x).toBeCloseTo(1, 9);
    expect(v.velocity(400)).toEqual({ x: 0, y: 0 });
  });
  it('is zero with a single sample and after reset', () => {
    const v = new VelocityTracker();
    v.add({ x: 3, y: 4 }, 10);
    expect(v.velocity(10)).toEqual({ x: 0, y: 0 });
    v.add({ x: 30, y: 4 }, 30);
    v.reset();
    expect(v.velocity(30)).toEqual({ x: 0, y: 0 });
  });
  it('measures negative (leftward, upward) velocity', () => {
    const v = new VelocityTracker();
    v.add({ x: 100, y: 100 }, 0);
    v.add({ x: 80, y: 60 }, 40);
    expect(v.velocity(40)).toEqual({ x: -0.5, y: -1 });
  });
});
