/**
 * The current library's live events: one `events` subscription, resumed from the last
 * sequence after any reconnect (ResumeCursor drops replayed duplicates), fanned out to the
 * screens that listen (timeline, viewer, Live). Started and stopped by the app shell.
 */
import { request, subscribe, type ApiError } from './client';
import type { EventKind, LibraryEventsSubscription } from './gql/graphql';
import { EventCursorQuery, LibraryEventsSubscription as EventsDoc } from './operations/live';
import { ResumeCursor } from './resume';

type RawEvent = LibraryEventsSubscription['events'];
type RawPhoto = NonNullable<RawEvent['photo']>;

export type LivePhoto = Omit<RawPhoto, 'files'> & {
  /** Every file of the photo is missing from disk (mark the tile, keep it). */
  missing: boolean;
};

export interface LiveEvent {
  sequence: string;
  kind: EventKind;
  photoId: string | null;
  /** The kind's details (path, stage, error, progress counts...), parsed; null when none. */
  payload: Record<string, unknown> | null;
  createdAt: string | null;
  photo: LivePhoto | null;
}

export type ConnectionState = 'connecting' | 'live' | 'offline' | 'stopped';

/** How many recent events are kept for screens opened later (the Live screen). */
const RECENT_LIMIT = 300;

const listeners = new Set<(event: LiveEvent) => void>();
const resyncListeners = new Set<() => void>();
const cursor = new ResumeCursor();
let unsubscribe: (() => void) | null = null;
let libraryId: string | null = null;
/** The library the cursor's sequence belongs to. */
let cursorLibrary: string | null = null;

class LiveState {
  connection = $state<ConnectionState>('stopped');
  /** The last error that stopped the stream (forbidden, library gone). */
  error = $state<ApiError | null>(null);
}

export const live = new LiveState();
/** Recent events, oldest first (not reactive: listeners get the new ones). */
export const recentEvents: LiveEvent[] = [];

/** Listen to the current library's events; returns the function that stops listening. */
export function onLibraryEvent(listener: (e: LiveEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Called when the stream reconnected without a sequence to resume from (it dropped before the
 * first event arrived), so events may have been missed: reload what is shown.
 */
export function onResync(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

/** The current connection state (also `live.connection`, reactive). */
export const connection = (): ConnectionState => live.connection;

/** The library being followed. */
export function followedLibrary(): string | null {
  return libraryId;
}

/**
 * Follow `id`'s events (null stops, e.g. while the session is expired). Switching to another
 * library forgets the cursor; stopping and coming back to the same one resumes from it.
 */
export function followLibrary(id: string | null): void {
  if (id === libraryId && unsubscribe) return;
  unsubscribe?.();
  unsubscribe = null;
  if (id !== null && id !== cursorLibrary) {
    cursor.reset();
    recentEvents.length = 0;
    cursorLibrary = id;
  }
  libraryId = id;
  live.error = null;
  if (id === null) {
    live.connection = 'stopped';
    return;
  }
  live.connection = 'connecting';
  const library: string = id;
  let connectedBefore = false;
  let cancelled = false;
  let stop: (() => void) | null = null;
  unsubscribe = () => {
    cancelled = true;
    stop?.();
  };
  // Without a sequence yet, ask where the log is first: a socket that drops before any event
  // arrived (a server restart) then still resumes with `since` and misses nothing.
  if (cursor.since === null) {
    request(EventCursorQuery).then(
      (data) => {
        if (!cancelled && cursor.since === null && cursorLibrary === id) {
          cursor.reset(data.eventCursor);
        }
      },
      () => undefined, // unreachable now: follow live, and reload after the reconnect (resync)
    ).finally(() => {
      if (!cancelled) stop = open();
    });
  } else {
    stop = open();
  }

  function open(): () => void {
    return subscribe(
      EventsDoc,
      () => ({ libraryId: library, since: cursor.since }),
      {
        connected: () => {
          live.connection = 'live';
          if (connectedBefore && cursor.since === null) {
            for (const listener of resyncListeners) listener();
          }
          connectedBefore = true;
        },
        next: (data) => {
          live.connection = 'live';
          deliver(data.events);
        },
        error: (error) => {
          if (error.code === 'BAD_USER_INPUT' && cursor.since !== null) {
            // The log no longer reaches back to our cursor (pruned, or another database):
            // follow live from now on and have the screens reload what they show.
            cursor.reset();
            unsubscribe = null;
            libraryId = null;
            followLibrary(id);
            for (const listener of resyncListeners) listener();
            return;
          }
          if (error.retryable) {
            live.connection = 'offline';
          } else {
            live.connection = 'stopped';
            live.error = error;
            unsubscribe = null;
          }
        },
      },
    );
  }
}

function deliver(raw: RawEvent): void {
  if (!cursor.accept(raw.sequence)) return; // replayed after a reconnect: already delivered
  const event = toLiveEvent(raw);
  recentEvents.push(event);
  if (recentEvents.length > RECENT_LIMIT) recentEvents.splice(0, recentEvents.length - RECENT_LIMIT);
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      console.error('live event listener failed', error);
    }
  }
}

function toLiveEvent(raw: RawEvent): LiveEvent {
  let payload: Record<string, unknown> | null = null;
  if (raw.payload) {
    try {
      const parsed: unknown = JSON.parse(raw.payload);
      if (parsed && typeof parsed === 'object') payload = parsed as Record<string, unknown>;
    } catch {
      payload = null;
    }
  }
  let photo: LivePhoto | null = null;
  if (raw.photo) {
    const { files, ...rest } = raw.photo;
    photo = { ...rest, missing: files.length > 0 && files.every((f) => f.status === 'missing') };
  }
  return {
    sequence: raw.sequence,
    kind: raw.kind,
    photoId: raw.photoId,
    payload,
    createdAt: raw.createdAt,
    photo,
  };
}
