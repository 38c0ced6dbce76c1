import { rgbaToThumbHash } from 'thumbhash';
import { describe, expect, it } from 'vitest';
import { placeholderURL } from '../../../src/lib/timeline/placeholder';

function hashOf(r: number, g: number, b: number): string {
  const rgba = new Uint8Array(16 * 12 * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set([r, g, b, 255], i);
  return Buffer.from(rgbaToThumbHash(16, 12, rgba)).toString('base64');
}

describe('placeholderURL', () => {
  it('draws a thumbhash as a PNG data URL, the same one each time', () => {
    const hash = hashOf(200, 40, 40);
    const url = placeholderURL(hash)!;
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(placeholderURL(hash)).toBe(url);
    expect(placeholderURL(hashOf(20, 40, 200))).not.toBe(url);
  });

  it('returns null for no hash or a malformed one', () => {
    expect(placeholderURL(null)).toBeNull();
    expect(placeholderURL('')).toBeNull();
    expect(placeholderURL('%%%not base64')).toBeNull();
  });
});
