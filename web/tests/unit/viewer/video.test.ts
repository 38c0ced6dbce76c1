import { describe, expect, it } from 'vitest';
import { canPlay, codecName, formatDuration } from '../../../src/lib/viewer/video';

describe('formatDuration', () => {
  it('shows minutes and seconds, hours when long', () => {
    expect(formatDuration(7_000)).toBe('0:07');
    expect(formatDuration(765_400)).toBe('12:45');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(499)).toBe('0:00');
  });
  it('has nothing to show without a duration', () => {
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(undefined)).toBeNull();
    expect(formatDuration(-1)).toBeNull();
  });
});

describe('canPlay', () => {
  const safariLike = (type: string): string => (type.includes('hvc1') || type.includes('avc1') ? 'probably' : '');
  const firefoxLike = (type: string): string => (type.includes('hvc1') ? '' : 'probably');
  it('asks the browser about the codec', () => {
    expect(canPlay('hevc', safariLike)).toBe(true);
    expect(canPlay('hevc', firefoxLike)).toBe(false);
    expect(canPlay('vp9', safariLike)).toBe(false);
    expect(canPlay('h264', firefoxLike)).toBe(true);
  });
  it('refuses codecs browsers do not play, tries unknown ones', () => {
    expect(canPlay('prores', () => 'probably')).toBe(false);
    expect(canPlay('theora', () => '')).toBe(true);
    expect(canPlay(null, () => '')).toBe(true);
  });
  it('names codecs for the message', () => {
    expect(codecName('hevc')).toBe('HEVC (H.265)');
    expect(codecName('theora')).toBe('theora');
    expect(codecName(null)).toBe('an unknown codec');
  });
});
