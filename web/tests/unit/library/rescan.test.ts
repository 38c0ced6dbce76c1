import { describe, expect, it } from 'vitest';

import { parseRescanProgress, rescanText } from '../../../src/lib/library/rescan';

describe('rescan progress', () => {
  it('reads the server payload and refuses other shapes', () => {
    expect(parseRescanProgress({ path: '/p', phase: 'checking', done: 3, total: 9 }))
      .toEqual({ path: '/p', phase: 'checking', done: 3, total: 9, counts: undefined,
                 missing: undefined });
    expect(parseRescanProgress({ path: '/p', phase: 'other', done: 1, total: 1 })).toBeNull();
    expect(parseRescanProgress({ path: 3, phase: 'done', done: 1, total: 1 })).toBeNull();
    expect(parseRescanProgress(null)).toBeNull();
  });

  it('says where a scan stands', () => {
    expect(rescanText({ path: '/photos', phase: 'counting', done: 0, total: 0 }))
      .toBe('Counting the files in /photos…');
    expect(rescanText({ path: '/photos', phase: 'checking', done: 1200, total: 5000 }))
      .toBe('Checking /photos: 1,200 of 5,000 files');
  });

  it('says what a finished scan found, or that nothing changed', () => {
    expect(rescanText({ path: null, phase: 'done', done: 12, total: 12,
                        counts: { unchanged: 10, new: 1, failed: 1 }, missing: 2 }))
      .toBe('Rescan done: 12 files checked; 1 new, 1 unreadable, 2 missing');
    expect(rescanText({ path: null, phase: 'done', done: 1, total: 1,
                        counts: { unchanged: 1 }, missing: 0 }))
      .toBe('Rescan done: 1 file checked, nothing changed');
  });
});
