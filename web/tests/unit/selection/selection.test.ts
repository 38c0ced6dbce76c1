import { describe, expect, it } from 'vitest';
import { SelectionModel } from '../../../src/lib/selection/range';

const ORDER = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('grid selection', () => {
  it('a drag selects the range from the anchor, both ways, and shrinks back', () => {
    const s = new SelectionModel();
    s.begin('c');
    expect(s.extendTo('e', ORDER)).toBe(true);
    expect([...s.ids].sort()).toEqual(['c', 'd', 'e']);
    s.extendTo('a', ORDER);
    expect([...s.ids].sort()).toEqual(['a', 'b', 'c']);
    s.end();
    expect(s.extendTo('f', ORDER)).toBe(false); // no drag going on
  });

  it('a second drag adds to what was selected; taps toggle', () => {
    const s = new SelectionModel();
    s.begin('a');
    s.end();
    s.begin('e');
    s.extendTo('f', ORDER);
    expect([...s.ids].sort()).toEqual(['a', 'e', 'f']);
    s.end();
    s.toggle('e');
    s.toggle('c');
    expect([...s.ids].sort()).toEqual(['a', 'c', 'f']);
    s.drop(['a']);
    expect(s.size).toBe(2);
    s.clear();
    expect(s.size).toBe(0);
  });
});
