/**
 * What the Live screen shows, folded from live events (framework-free, unit-tested): the photos
 * arriving now with each classifier stage's state, the library's job counts with throughput and
 * an ETA, and files that failed to import.
 */

/** Stages in the order they are shown; classifier stages use the server's names. */
export const STAGES = ['queued', 'metadata', 'object', 'face', 'colour', 'location', 'event'] as const;
export type Stage = (typeof STAGES)[number];
export type StageState = 'pending' | 'running' | 'done' | 'failed';

export const STAGE_LABELS: Record<Stage, string> = {
  queued: 'queued',
  metadata: 'metadata',
  object: 'objects',
  face: 'faces',
  colour: 'colours',
  location: 'place',
  event: 'events',
};

export interface FeedEvent {
  sequence: string;
  kind: string;
  photoId: string | null;
  payload: Record<string, unknown> | null;
  photo: { thumbnailUrl?: string | null; width?: number | null; height?: number | null;
           takenAt?: string | null } | null;
}

export interface FeedPhoto {
  photoId: string;
  thumbnailUrl: string | null;
  ratio: number;
  path: string | null;
  /** When it was taken (ISO): its label until a path is known. */
  takenAt: string | null;
  stages: Record<Stage, StageState>;
  /** Tags written per stage (PHOTO_TAGGED's count). */
  tagCounts: Partial<Record<Stage, number>>;
}

export interface FeedFailure {
  sequence: string;
  path: string;
  error: string;
}

export interface Progress {
  queued: number;
  running: number;
  done: number;
  failed: number;
  /** The server's estimate (seconds), when it gave one. */
  etaSeconds: number | null;
}

export interface FeedState {
  photos: FeedPhoto[];
  failures: FeedFailure[];
  progress: Progress | null;
  /** (time ms, done count) samples for the throughput. */
  samples: [number, number][];
}

export const MAX_PHOTOS = 60;
const MAX_FAILURES = 100;
const SAMPLE_WINDOW_MS = 60_000;

export function emptyFeed(): FeedState {
  return { photos: [], failures: [], progress: null, samples: [] };
}

function blankStages(): Record<Stage, StageState> {
  return { queued: 'done', metadata: 'pending', object: 'pending', face: 'pending',
           colour: 'pending', location: 'pending', event: 'pending' };
}

function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Fold one event into the state (returns a new state; `now` is for throughput samples). */
export function applyEvent(state: FeedState, event: FeedEvent, now: number): FeedState {
  switch (event.kind) {
    case 'JOB_PROGRESS':
      return withProgress(state, {
        queued: num(event.payload?.queued),
        running: num(event.payload?.running),
        done: num(event.payload?.done),
        failed: num(event.payload?.failed),
        etaSeconds: typeof event.payload?.etaSeconds === 'number' ? event.payload.etaSeconds : null,
      }, now);
    case 'FILE_FAILED': {
      const failure = {
        sequence: event.sequence,
        path: String(event.payload?.path ?? ''),
        error: String(event.payload?.error ?? 'unknown error'),
      };
      const failures = [failure, ...state.failures.filter((f) => f.path !== failure.path)];
      return { ...state, failures: failures.slice(0, MAX_FAILURES) };
    }
    case 'PHOTO_ADDED':
    case 'PHOTO_UPDATED':
    case 'PHOTO_METADATA':
    case 'STAGE_STARTED':
    case 'STAGE_DONE':
    case 'PHOTO_TAGGED':
      return withPhoto(state, event);
    case 'PHOTO_REMOVED':
      return { ...state, photos: state.photos.filter((p) => p.photoId !== event.photoId) };
    default:
      return state; // kinds added later: ignored
  }
}

function withPhoto(state: FeedState, event: FeedEvent): FeedState {
  if (!event.photoId) return state;
  // A rating or tag edit (PHOTO_UPDATED with a `change`) is not an arrival.
  if (event.kind === 'PHOTO_UPDATED' && event.payload?.change !== undefined) return state;
  const index = state.photos.findIndex((p) => p.photoId === event.photoId);
  const existing = index >= 0 ? state.photos[index] : undefined;
  if (!existing && event.kind !== 'PHOTO_ADDED' && event.kind !== 'PHOTO_UPDATED'
      && event.kind !== 'STAGE_STARTED') {
    return state; // the end of a photo that arrived before we were watching
  }
  const photo: FeedPhoto = existing
    ? { ...existing, stages: { ...existing.stages }, tagCounts: { ...existing.tagCounts } }
    : { photoId: event.photoId, thumbnailUrl: null, ratio: 1, path: null, takenAt: null,
        stages: blankStages(), tagCounts: {} };
  if (event.photo?.thumbnailUrl) photo.thumbnailUrl = event.photo.thumbnailUrl;
  if (event.photo?.width && event.photo?.height) photo.ratio = event.photo.width / event.photo.height;
  if (typeof event.payload?.path === 'string') photo.path = event.payload.path;
  if (event.photo?.takenAt) photo.takenAt = event.photo.takenAt;
  const stage = event.payload?.stage;
  switch (event.kind) {
    case 'PHOTO_ADDED':
    case 'PHOTO_UPDATED':
    case 'PHOTO_METADATA':
      photo.stages.metadata = 'done';
      break;
    case 'STAGE_STARTED':
      // Started implies the photo was read (stages are queued by the import).
      photo.stages.metadata = 'done';
      if (isStage(stage) && photo.stages[stage] !== 'done') photo.stages[stage] = 'running';
      break;
    case 'STAGE_DONE':
    case 'PHOTO_TAGGED':
      if (isStage(stage)) {
        photo.stages[stage] = 'done';
        if (event.kind === 'PHOTO_TAGGED') photo.tagCounts[stage] = num(event.payload?.tags);
      }
      break;
  }
  const rest = state.photos.filter((_, i) => i !== index);
  const photos = existing
    ? state.photos.map((p, i) => (i === index ? photo : p))
    : [photo, ...rest].slice(0, MAX_PHOTOS);
  return { ...state, photos };
}

/** Replace the counts (from the jobProgress query or a JOB_PROGRESS event). */
export function withProgress(state: FeedState, progress: Progress, now: number): FeedState {
  const samples = [...state.samples.filter(([t]) => now - t <= SAMPLE_WINDOW_MS),
                   [now, progress.done] as [number, number]];
  return { ...state, progress, samples };
}

/** Jobs finished per second over the last minute (null until two samples are apart). */
export function throughput(state: FeedState): number | null {
  const first = state.samples[0];
  const last = state.samples[state.samples.length - 1];
  if (!first || !last || last[0] - first[0] < 1000) return null;
  return Math.max(0, (last[1] - first[1]) / ((last[0] - first[0]) / 1000));
}

/** Seconds until the queue is empty: the server's estimate, else from the throughput. */
export function eta(state: FeedState): number | null {
  const p = state.progress;
  if (!p) return null;
  const remaining = p.queued + p.running;
  if (remaining === 0) return 0;
  if (p.etaSeconds !== null) return p.etaSeconds;
  const rate = throughput(state);
  return rate ? remaining / rate : null;
}

/** "45 s", "3 min", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
