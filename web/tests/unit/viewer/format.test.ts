import { describe, expect, it } from 'vitest';
import {
  formatAperture, formatCoordinates, formatFocalLength, formatIso, formatShutter, formatTakenAt,
  groupTags, tagTypeAttribute,
} from '../../../src/lib/viewer/format';

describe('formatTakenAt', () => {
  it('shows the photographer\'s wall clock with its offset, not the browser\'s zone', () => {
    expect(formatTakenAt('2024-11-02T09:30:00+09:00', 'offset', null))
      .toEqual({ when: 'Sat 2 Nov 2024, 09:30', zone: 'UTC+09:00' });
  });
  it('names the zone when the GPS position gave one', () => {
    expect(formatTakenAt('2024-07-14T22:05:10+02:00', 'gps', 'Europe/Paris'))
      .toEqual({ when: 'Sun 14 Jul 2024, 22:05', zone: 'Europe/Paris (UTC+02:00)' });
  });
  it('does not repeat UTC', () => {
    expect(formatTakenAt('2026-12-04T14:00:00+00:00', 'file', 'UTC')?.zone)
      .toBe("UTC, from the file's date");
  });
  it('marks a floating date as local time', () => {
    expect(formatTakenAt('2023-01-05T08:00:00', 'floating', null))
      .toEqual({ when: 'Thu 5 Jan 2023, 08:00', zone: 'local time' });
  });
  it('says when the date only came from the file', () => {
    expect(formatTakenAt('2023-01-05T08:00:00Z', 'file', null)?.zone)
      .toBe("UTC, from the file's date");
  });
  it('is null without a date and passes unknown formats through', () => {
    expect(formatTakenAt(null, null, null)).toBeNull();
    expect(formatTakenAt('yesterday', null, null)).toEqual({ when: 'yesterday', zone: '' });
  });
});

describe('exposure', () => {
  it('writes short shutter speeds as fractions and long ones in seconds', () => {
    expect(formatShutter(0.004)).toBe('1/250 s');
    expect(formatShutter(1 / 60)).toBe('1/60 s');
    expect(formatShutter(0.5)).toBe('0.5 s');
    expect(formatShutter(2)).toBe('2 s');
    expect(formatShutter(0)).toBeNull();
    expect(formatShutter(null)).toBeNull();
  });
  it('writes aperture, ISO and focal length', () => {
    expect(formatAperture(2.8)).toBe('f/2.8');
    expect(formatAperture(8)).toBe('f/8');
    expect(formatIso(400)).toBe('ISO 400');
    expect(formatFocalLength(50)).toBe('50 mm');
    expect(formatFocalLength(4.25)).toBe('4.3 mm');
    expect(formatIso(null)).toBeNull();
  });
});

describe('formatCoordinates', () => {
  it('uses hemispheres instead of signs', () => {
    expect(formatCoordinates(48.8584, 2.2945)).toBe('48.85840° N, 2.29450° E');
    expect(formatCoordinates(-33.8568, -151.2153)).toBe('33.85680° S, 151.21530° W');
    expect(formatCoordinates(null, 3)).toBeNull();
  });
});

describe('tags', () => {
  it('data-tag-type is the lower-cased type, COLOR spelled colour', () => {
    expect(tagTypeAttribute('OBJECT')).toBe('object');
    expect(tagTypeAttribute('PERSON')).toBe('person');
    expect(tagTypeAttribute('LOCATION')).toBe('location');
    expect(tagTypeAttribute('COLOR')).toBe('colour');
  });
  it('groups by type in a fixed order, most confident first, unnamed people counted', () => {
    const groups = groupTags([
      { id: '1', name: 'dog', type: 'OBJECT', confidence: 0.6 },
      { id: '2', name: 'Paris', type: 'LOCATION', confidence: 1 },
      { id: '3', name: 'ball', type: 'OBJECT', confidence: 0.9 },
      { id: '4', name: '', type: 'PERSON', confidence: 0.8 },
      { id: '5', name: 'Ana', type: 'PERSON', confidence: 0.7 },
      { id: '5', name: 'Ana', type: 'PERSON', confidence: 0.75 }, // her second face
    ]);
    expect(groups.map((g) => g.type)).toEqual(['PERSON', 'OBJECT', 'LOCATION']);
    expect(groups[0]!.tags.map((t) => t.name)).toEqual(['Ana']);
    expect(groups[0]!.tags[0]!.confidence).toBe(0.75);
    expect(groups[0]!.unnamed).toBe(1);
    expect(groups[1]!.tags.map((t) => t.name)).toEqual(['ball', 'dog']);
  });
});
