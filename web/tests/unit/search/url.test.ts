import { describe, expect, it } from 'vitest';
import {
  emptySearch, nextDay, queryToSearch, searchToFilter, searchToQuery, type SearchState,
} from '../../../src/lib/search/url';

const FULL: SearchState = {
  text: 'beach sunset',
  tags: [{ id: '12', label: 'Dog' }, { id: '40', label: 'Anna: the elder' }],
  tagType: 'PERSON',
  camera: { id: '3', label: 'Canon EOS R6' },
  lens: { id: '8', label: 'RF 24-105mm F4' },
  from: '2023-06-01',
  to: '2023-08-31',
  minRating: 4,
  hasLocation: true,
  aperture: { min: 1.8, max: 4 },
  iso: { min: null, max: 800 },
  focalLength: { min: 24, max: null },
  exposureTime: { min: 0.001, max: 0.5 },
};

describe('search <-> URL', () => {
  it('round-trips every field through the query string', () => {
    const text = searchToQuery(FULL).toString();
    expect(queryToSearch(text)).toEqual(FULL);
  });

  it('writes nothing for an empty search and reads an empty query as empty', () => {
    expect(searchToQuery(emptySearch()).toString()).toBe('');
    expect(queryToSearch('')).toEqual(emptySearch());
    expect(searchToFilter(emptySearch())).toBeNull();
  });

  it('writes short readable keys', () => {
    const q = searchToQuery({ ...emptySearch(), text: 'dog', minRating: 3,
      aperture: { min: 2, max: null } });
    expect(q.toString()).toBe('q=dog&rating=3&f=2..');
  });

  it('ignores what it cannot read in a hand-edited link', () => {
    const s = queryToSearch('type=banana&rating=9&from=yesterday&located=maybe&iso=abc..x&tag=');
    expect(s).toEqual(emptySearch());
  });

  it('reads text= as the search text too (a hand-written /search?text=canon runs it)', () => {
    expect(queryToSearch('text=canon').text).toBe('canon');
    expect(searchToFilter(queryToSearch('text=canon'))).toEqual({ text: 'canon' });
    expect(queryToSearch('q=dog&text=cat').text).toBe('dog'); // the app's own key wins
  });

  it('swaps a reversed range', () => {
    expect(queryToSearch('mm=200..50').focalLength).toEqual({ min: 50, max: 200 });
  });

  it('builds the GraphQL filter (to-date inclusive as the next day, exclusive)', () => {
    expect(searchToFilter(FULL)).toEqual({
      text: 'beach sunset',
      tags: ['12', '40'],
      tagType: 'PERSON',
      cameraId: '3',
      lensId: '8',
      takenAfter: '2023-06-01',
      takenBefore: '2023-09-01',
      minRating: 4,
      hasLocation: true,
      aperture: { min: 1.8, max: 4 },
      iso: { max: 800 },
      focalLength: { min: 24 },
      exposureTime: { min: 0.001, max: 0.5 },
    });
    expect(searchToFilter({ ...emptySearch(), hasLocation: false })).toEqual({ hasLocation: false });
  });

  it('knows the day after, across months and years', () => {
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2023-02-28')).toBe('2023-03-01');
    expect(nextDay('2023-12-31')).toBe('2024-01-01');
  });
});
