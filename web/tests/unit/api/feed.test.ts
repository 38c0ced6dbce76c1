import { describe, expect, it } from 'vitest';
import {
  applyEvent, emptyFeed, eta, formatDuration, MAX_PHOTOS, throughput, withProgress,
  type FeedEvent, type FeedState,
} from '../../../src/lib/api/feed';

let seq = 0;
function ev(kind: string, photoId: string | null, payload: Record<string, unknown> | null = null,
            photo: FeedEvent['photo'] = null): FeedEvent {
  seq += 1;
  return { sequence: String(seq), kind, photoId, payload, photo };
}

function fold(events: FeedEvent[], start: FeedState = emptyFeed()): FeedState {
  return events.reduce((s, e) => applyEvent(s, e, 0), start);
}

describe('Live feed', () => {
  it('turns stage chips done as the events arrive, newest photo first', () => {
    const state = fold([
      ev('PHOTO_ADDED', 'a', { path: '/p/a.jpg' }, { thumbnailUrl: '/t/a', width: 400, height: 300 }),
      ev('PHOTO_ADDED', 'b', { path: '/p/b.jpg' }),
      ev('STAGE_STARTED', 'a', { stage: 'face', attempt: 1 }),
      ev('PHOTO_TAGGED', 'a', { stage: 'object', tags: 3, version: '1' }),
    ]);
    expect(state.photos.map((p) => p.photoId)).toEqual(['b', 'a']);
    const a = state.photos[1]!;
    expect(a.path).toBe('/p/a.jpg');
    expect(a.ratio).toBeCloseTo(4 / 3);
    expect(a.stages).toMatchObject({ queued: 'done', metadata: 'done', object: 'done',
                                     face: 'running', colour: 'pending' });
    expect(a.tagCounts.object).toBe(3);
    const later = fold([ev('PHOTO_TAGGED', 'a', { stage: 'face', tags: 0 })], state);
    expect(later.photos[1]!.stages.face).toBe('done');
    // A late STAGE_STARTED (replayed) does not undo a finished stage.
    const replay = fold([ev('STAGE_STARTED', 'a', { stage: 'face' })], later);
    expect(replay.photos[1]!.stages.face).toBe('done');
  });

  it('ignores edits and the tail of photos that arrived before it was watching', () => {
    const state = fold([
      ev('PHOTO_TAGGED', 'old', { stage: 'colour', tags: 2 }),
      ev('PHOTO_UPDATED', 'x', { change: 'rating' }),
      ev('SOMETHING_NEW', 'y'),
    ]);
    expect(state.photos).toEqual([]);
  });

  it('lists failed files once per path with their reason, and bounds the photo list', () => {
    let state = fold([
      ev('FILE_FAILED', null, { path: '/p/bad.jpg', error: 'not an image' }),
      ev('FILE_FAILED', null, { path: '/p/bad.jpg', error: 'truncated' }),
    ]);
    expect(state.failures).toHaveLength(1);
    expect(state.failures[0]).toMatchObject({ path: '/p/bad.jpg', error: 'truncated' });
    for (let i = 0; i < MAX_PHOTOS + 5; i++) state = applyEvent(state, ev('PHOTO_ADDED', `p${i}`), 0);
    expect(state.photos).toHaveLength(MAX_PHOTOS);
    expect(state.photos[0]!.photoId).toBe(`p${MAX_PHOTOS + 4}`);
  });

  it('computes throughput and an ETA from progress samples', () => {
    let state = withProgress(emptyFeed(), { queued: 100, running: 2, done: 0, failed: 0,
                                            etaSeconds: null }, 0);
    expect(throughput(state)).toBeNull();
    state = applyEvent(state, ev('JOB_PROGRESS', null,
                                 { queued: 80, running: 2, done: 20, failed: 1, etaSeconds: null }),
                       10_000);
    expect(throughput(state)).toBeCloseTo(2);
    expect(eta(state)).toBeCloseTo(41);
    state = applyEvent(state, ev('JOB_PROGRESS', null,
                                 { queued: 0, running: 0, done: 102, failed: 1, etaSeconds: 0 }),
                       20_000);
    expect(eta(state)).toBe(0);
    expect(state.progress?.failed).toBe(1);
  });

  it('formats durations for people', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(180)).toBe('3 min');
    expect(formatDuration(4800)).toBe('1 h 20 min');
  });
});
