import { describe, expect, it } from 'vitest';
import { carriedTags, cleanTagName, existingTag, suggestTags } from '../../../src/lib/selection/tags';

const TAGS = [
  { id: '1', name: 'Holiday', count: 3 },
  { id: '2', name: 'Summer holiday', count: 9 },
  { id: '3', name: 'Birthday', count: 5 },
  { id: '4', name: 'Holidays abroad', count: 7 },
  { id: '5', name: 'Photo', count: 1 },
];

describe('tag suggestions', () => {
  it('puts names starting with the text first, then word starts, then the rest', () => {
    expect(suggestTags(TAGS, 'hol').map((t) => t.name))
      .toEqual(['Holidays abroad', 'Holiday', 'Summer holiday']);
    expect(suggestTags(TAGS, 'DAY').map((t) => t.name))
      .toEqual(['Summer holiday', 'Holidays abroad', 'Birthday', 'Holiday']);
    expect(suggestTags(TAGS, 'zzz')).toEqual([]);
  });

  it('offers the most used tags when nothing is typed, up to the limit', () => {
    expect(suggestTags(TAGS, '  ', 2).map((t) => t.id)).toEqual(['2', '4']);
  });

  it('knows a typed name that exists already, spaces and case aside', () => {
    expect(cleanTagName('  Summer   holiday ')).toBe('Summer holiday');
    expect(existingTag(TAGS, ' summer  HOLIDAY')?.id).toBe('2');
    expect(existingTag(TAGS, 'Summer')).toBeUndefined();
    expect(existingTag(TAGS, '   ')).toBeUndefined();
  });
});

describe('tags carried by a selection', () => {
  it('counts each removable tag once per photo, most carried first', () => {
    const photos = [
      { tags: [{ id: 'a', name: 'dog', type: 'OBJECT' }, { id: 'u', name: 'Trip', type: 'USER' },
               { id: 'p', name: 'Ann', type: 'PERSON' }, { id: 'al', name: 'Best', type: 'ALBUM' }] },
      { tags: [{ id: 'u', name: 'Trip', type: 'USER' }, { id: 'u', name: 'Trip', type: 'USER' }] },
      { tags: [] },
    ];
    expect(carriedTags(photos)).toEqual([
      { id: 'u', name: 'Trip', count: 2 },
      { id: 'a', name: 'dog', count: 1 },
    ]);
  });
});
