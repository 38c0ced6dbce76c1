import { describe, expect, it } from 'vitest';
import { changesPeople, personChange } from '../../../src/lib/people/events';

describe('people events', () => {
  it('the list follows person and face changes and faces the stage found', () => {
    expect(changesPeople({ kind: 'PERSON_UPDATED', payload: { personId: 'a' } })).toBe(true);
    expect(changesPeople({ kind: 'FACE_UPDATED', payload: {} })).toBe(true);
    expect(changesPeople({ kind: 'PHOTO_TAGGED', payload: { people: ['a'] } })).toBe(true);
    expect(changesPeople({ kind: 'PHOTO_TAGGED', payload: { stage: 'object' } })).toBe(false);
    expect(changesPeople({ kind: 'PHOTO_ADDED', payload: null })).toBe(false);
  });

  it('a person page reloads for its own changes and follows a merge', () => {
    expect(personChange({ kind: 'PERSON_UPDATED', payload: { personId: 'a' } }, 'a'))
      .toEqual({ kind: 'reload' });
    expect(personChange({ kind: 'PERSON_UPDATED', payload: { personId: 'b' } }, 'a'))
      .toEqual({ kind: 'none' });
    expect(personChange({ kind: 'FACE_UPDATED', payload: { previousPersonId: 'a' } }, 'a'))
      .toEqual({ kind: 'reload' });
    expect(personChange({ kind: 'PHOTO_TAGGED', payload: { people: ['c', 'a'] } }, 'a'))
      .toEqual({ kind: 'reload' });
    expect(personChange({ kind: 'PERSON_REMOVED', payload: { personId: 'a', into: 'b' } }, 'a'))
      .toEqual({ kind: 'merged', into: 'b' });
    expect(personChange({ kind: 'PERSON_REMOVED', payload: { personId: 'x', into: 'a' } }, 'a'))
      .toEqual({ kind: 'none' });
  });
});
