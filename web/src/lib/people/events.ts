/**
 * Which live events change what the People screens show (framework-free, unit-tested).
 * Kinds and payloads: photonix_rt/graphql/schema/070_organise.graphql.
 */

export interface PeopleEventLike {
  kind: string;
  payload: Record<string, unknown> | null;
}

const PEOPLE_KINDS = new Set(['PERSON_UPDATED', 'PERSON_REMOVED', 'FACE_UPDATED']);

/** The People list: any person or face change, or the face stage naming people on a photo. */
export function changesPeople(event: PeopleEventLike): boolean {
  if (PEOPLE_KINDS.has(event.kind)) return true;
  return event.kind === 'PHOTO_TAGGED' && Array.isArray(event.payload?.people);
}

/** What an event means for one person's page. */
export type PersonChange =
  | { kind: 'none' }
  | { kind: 'reload' }
  /** Merged into another person: follow them there. */
  | { kind: 'merged'; into: string | null };

export function personChange(event: PeopleEventLike, personId: string): PersonChange {
  const p = event.payload ?? {};
  switch (event.kind) {
    case 'PERSON_REMOVED':
      return p.personId === personId
        ? { kind: 'merged', into: typeof p.into === 'string' ? p.into : null }
        : { kind: 'none' };
    case 'PERSON_UPDATED':
      return p.personId === personId ? { kind: 'reload' } : { kind: 'none' };
    case 'FACE_UPDATED':
      return p.personId === personId || p.previousPersonId === personId
        ? { kind: 'reload' } : { kind: 'none' };
    case 'PHOTO_TAGGED':
      return Array.isArray(p.people) && p.people.includes(personId)
        ? { kind: 'reload' } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}
