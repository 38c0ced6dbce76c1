import { describe, expect, it } from 'vitest';
import { formatEta, formatRate, paceText, totalPace, type Pace } from '../../../src/lib/jobs/pace';

const pace = (queued: number, running: number, perMinute: number,
              etaSeconds: number | null): Pace => ({ queued, running, perMinute, etaSeconds });

describe('formatRate', () => {
  it('keeps one decimal below ten a minute and whole numbers above', () => {
    expect(formatRate(0)).toBe('0/min');
    expect(formatRate(1.5)).toBe('1.5/min');
    expect(formatRate(2)).toBe('2/min');
    expect(formatRate(9.96)).toBe('10/min');
    expect(formatRate(42.4)).toBe('42/min');
    expect(formatRate(0.01)).toBe('0.1/min'); // a trickle is not zero
  });
});

describe('formatEta', () => {
  it('rounds to what a person reads', () => {
    expect(formatEta(0)).toBe('under a minute');
    expect(formatEta(59)).toBe('under a minute');
    expect(formatEta(60)).toBe('about 1 min');
    expect(formatEta(170)).toBe('about 3 min');
    expect(formatEta(59 * 60)).toBe('about 59 min');
    expect(formatEta(60 * 60)).toBe('about 1 h');
    expect(formatEta(75 * 60 + 40)).toBe('about 1 h 15 min');
    expect(formatEta(2 * 3600 + 58 * 60)).toBe('about 3 h');
    expect(formatEta(30 * 3600)).toBe('about 1 day');
    expect(formatEta(5 * 86400)).toBe('about 5 days');
  });
});

describe('paceText', () => {
  it('says the rate and the time left, or why there is none', () => {
    expect(paceText(pace(30, 2, 12, 160))).toBe('12/min · about 3 min left');
    expect(paceText(pace(0, 0, 0, 0))).toBe('Nothing waiting');
    expect(paceText(pace(0, 0, 4, 0))).toBe('4/min · all done');
    expect(paceText(pace(5, 1, 0, null))).toBe('6 waiting · none finished lately');
    expect(paceText(pace(100, 2, 9, null))).toBe('9/min · 102 waiting');
  });
});

describe('totalPace', () => {
  it('adds rates and waits for the slowest stage', () => {
    expect(totalPace([pace(10, 1, 6, 110), pace(40, 1, 8, 310), pace(0, 0, 3, 0)]))
      .toEqual(pace(50, 2, 17, 310));
  });
  it('has no estimate when a stage with work has no rate', () => {
    expect(totalPace([pace(10, 0, 6, 100), pace(3, 0, 0, null)]).etaSeconds).toBeNull();
    expect(totalPace([pace(0, 0, 0, 0), pace(0, 0, 2, 0)]).etaSeconds).toBe(0);
    expect(totalPace([])).toEqual(pace(0, 0, 0, 0));
  });
});
