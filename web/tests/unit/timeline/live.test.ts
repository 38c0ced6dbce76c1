import { describe, expect, it } from 'vitest';
import { planLiveBatch, type LiveEventLike } from '../../../src/lib/timeline/live';
import { isEmptyFilter, matchesFilter } from '../../../src/lib/timeline/match';

type Tag = { id: string; name: string; type: string };

function added(id: string, takenAt: string | null, tags: Tag[] = [], rating = 0,
               kind = 'PHOTO_ADDED'): LiveEventLike {
  return {
    kind,
    photoId: id,
    photo: { id, takenAt, rating, tags, width: 4000, height: 3000, placeholder: 'abc',
      thumbnailUrl: `/t/${id}`, missing: false },
  };
}

const DOG: Tag = { id: '7', name: 'Dog', type: 'OBJECT' };
const ANNA: Tag = { id: '9', name: 'Anna', type: 'PERSON' };

describe('matchesFilter', () => {
  const photo = { takenAt: '2024-03-05T10:00:00', rating: 3, tags: [DOG, ANNA] };

  it('matches everything without a filter', () => {
    expect(matchesFilter(photo, null)).toBe(true);
    expect(matchesFilter(photo, {})).toBe(true);
    expect(isEmptyFilter({ tags: [], text: '' })).toBe(true);
    expect(isEmptyFilter({ minRating: 1 })).toBe(false);
  });

  it('decides tag, type, name, text and rating filters on the client', () => {
    expect(matchesFilter(photo, { tags: ['7', '9'] })).toBe(true);
    expect(matchesFilter(photo, { tags: ['7', '8'] })).toBe(false);
    expect(matchesFilter(photo, { tagType: 'PERSON' })).toBe(true);
    expect(matchesFilter(photo, { tagType: 'LOCATION' })).toBe(false);
    expect(matchesFilter(photo, { tagNames: ['dog'] })).toBe(true);
    expect(matchesFilter(photo, { tagNames: ['dog'], tagType: 'PERSON' })).toBe(false);
    expect(matchesFilter(photo, { text: 'do ann' })).toBe(true);
    expect(matchesFilter(photo, { text: 'cat' })).toBe(false);
    expect(matchesFilter(photo, { minRating: 3 })).toBe(true);
    expect(matchesFilter(photo, { minRating: 4 })).toBe(false);
  });

  it('compares floating dates by wall clock (after inclusive, before exclusive)', () => {
    expect(matchesFilter(photo, { takenAfter: '2024-03-05' })).toBe(true);
    expect(matchesFilter(photo, { takenAfter: '2024-03-06' })).toBe(false);
    expect(matchesFilter(photo, { takenBefore: '2024-03-06' })).toBe(true);
    expect(matchesFilter(photo, { takenBefore: '2024-03-05' })).toBe(false);
    expect(matchesFilter({ ...photo, takenAt: null }, { takenAfter: '2024-01-01' })).toBe(false);
  });

  it('leaves zoned dates and camera/exposure/place filters to the server', () => {
    expect(matchesFilter({ ...photo, takenAt: '2024-03-05T10:00:00+02:00' },
      { takenAfter: '2024-03-05' })).toBe('unknown');
    expect(matchesFilter(photo, { cameraId: '3' })).toBe('unknown');
    expect(matchesFilter(photo, { hasLocation: true })).toBe('unknown');
    expect(matchesFilter(photo, { iso: { min: 100 } })).toBe('unknown');
    // ...but a condition the client can refute still rules the photo out.
    expect(matchesFilter(photo, { cameraId: '3', minRating: 5 })).toBe(false);
  });
});

describe('planLiveBatch', () => {
  it('inserts every added photo of an unfiltered view, once, as drawable tiles', () => {
    const events = [added('1', '2024-03-05T10:00:00'), added('2', null), added('1', '2024-03-05T10:00:00')];
    const plan = planLiveBatch(events, null, () => false);
    expect(plan.insert.map((p) => p.id)).toEqual(['1', '2']);
    expect(plan.insert[0]!.ratio).toBeCloseTo(4 / 3);
    expect(plan.insert[0]!.placeholder).toBe('abc');
    expect(plan.requery.size).toBe(0);
  });

  it('skips photos already shown and tag events of an unfiltered view', () => {
    const plan = planLiveBatch([added('1', '2024-03-05T10:00:00'),
      added('2', '2024-03-05T10:00:00', [DOG], 0, 'PHOTO_TAGGED')], null, (id) => id === '1');
    expect(plan.insert).toEqual([]);
  });

  it('inserts only photos that match the filter', () => {
    const events = [added('1', '2024-03-05T10:00:00', [DOG]), added('2', '2024-03-05T10:00:00')];
    const plan = planLiveBatch(events, { tags: ['7'] }, () => false);
    expect(plan.insert.map((p) => p.id)).toEqual(['1']);
  });

  it('inserts a photo whose tags arrive later and make it match', () => {
    const events = [added('1', '2024-03-05T10:00:00'),
      added('1', '2024-03-05T10:00:00', [DOG], 0, 'PHOTO_TAGGED')];
    const plan = planLiveBatch(events, { text: 'dog' }, () => false);
    expect(plan.insert.map((p) => p.id)).toEqual(['1']);
  });

  it('asks the server about the month when the client cannot decide', () => {
    const events = [added('1', '2024-03-05T10:00:00'), added('2', '2024-04-01T10:00:00'),
      added('3', '2024-03-09T10:00:00')];
    const plan = planLiveBatch(events, { cameraId: '5' }, () => false);
    expect(plan.insert).toEqual([]);
    expect([...plan.requery].sort()).toEqual(['2024-03', '2024-04']);
  });

  it('marks missing photos, never removes them; removes deleted ones', () => {
    const events: LiveEventLike[] = [
      { kind: 'PHOTO_MISSING', photoId: '4', photo: null },
      { kind: 'PHOTO_REMOVED', photoId: '5', photo: null },
      added('6', '2024-03-05T10:00:00'),
      { kind: 'PHOTO_REMOVED', photoId: '6', photo: null },
    ];
    const plan = planLiveBatch(events, null, () => false);
    expect(plan.missing).toEqual(['4']);
    expect(plan.remove).toEqual(['5', '6']);
    expect(plan.insert).toEqual([]);
  });

  it('does not draw a photo that has no thumbnail yet', () => {
    const event = added('1', '2024-03-05T10:00:00');
    event.photo!.thumbnailUrl = null;
    expect(planLiveBatch([event], null, () => false).insert).toEqual([]);
  });
});
