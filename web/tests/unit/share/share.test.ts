import { describe, expect, it, vi } from 'vitest';
import { captureGridAnchor, restoreGridAnchor } from '../../../src/lib/share/anchor';
import { CLOSE_ENDED, ShareLive, type LiveState } from '../../../src/lib/share/live';
import {
  fromColumns, liveUrl, replaced, shareBase, upsert, without, type SharedColumns,
} from '../../../src/lib/share/photos';

function columns(rows: [string, string | null][]): SharedColumns {
  return {
    id: rows.map((r) => r[0]),
    w: rows.map(() => 400),
    h: rows.map(() => 300),
    ph: rows.map(() => null),
    t: rows.map((r) => r[1]),
    grid: rows.map((r) => `thumbnails/${r[0]}/grid.webp?v=k`),
    preview: rows.map((r) => `thumbnails/${r[0]}/preview.webp?v=k`),
  };
}

const base = shareBase('http://photos.local:8080/', 'T'.repeat(32));

describe('share photos', () => {
  it('reads columns with media paths under the link base', () => {
    const [photo] = fromColumns(columns([['a', '2024-03-01T10:00:00']]), base);
    expect(photo!.thumbnailUrl).toBe(`http://photos.local:8080/embed/v1/${'T'.repeat(32)}/thumbnails/a/grid.webp?v=k`);
    expect(photo!.ratio).toBeCloseTo(4 / 3);
    expect(liveUrl(base)).toBe(`ws://photos.local:8080/embed/v1/${'T'.repeat(32)}/live`);
  });

  it('puts a new photo where its date belongs, and undated ones last', () => {
    const list = fromColumns(columns([['new', '2024-05-01T00:00:00'], ['old', '2023-01-01T00:00:00'],
                                      ['undated', null]]), base);
    const incoming = fromColumns(columns([['mid', '2024-01-01T00:00:00']]), base);
    const { photos, added } = upsert(list, incoming, 'taken', 10);
    expect(photos.map((p) => p.id)).toEqual(['new', 'mid', 'old', 'undated']);
    expect(added).toEqual(['mid']);
  });

  it("puts additions first in 'added' order, replaces known ones, and keeps at most max", () => {
    const list = fromColumns(columns([['a', null], ['b', null]]), base);
    const { photos, added } = upsert(list, fromColumns(columns([['c', null], ['a', '2020-01-01']]), base),
                                     'added', 2);
    expect(photos.map((p) => p.id)).toEqual(['c', 'a']);
    expect(photos[1]!.takenAt).toBe('2020-01-01');
    expect(added).toEqual(['c']);
  });

  it('removes and diffs', () => {
    const list = fromColumns(columns([['a', null], ['b', null]]), base);
    expect(without(list, ['a', 'zzz']).map((p) => p.id)).toEqual(['b']);
    expect(replaced(list, fromColumns(columns([['c', null], ['b', null]]), base))).toEqual(['c']);
  });
});

describe('grid anchor', () => {
  const box = (top: number) => ({ top, left: 0, width: 100, height: 100 });
  it('keeps the first visible tile in place when photos come in above it', () => {
    const anchor = captureGridAnchor(['a', 'b', 'c'], [box(0), box(104), box(208)], 150);
    expect(anchor).toEqual({ id: 'b', offset: -46 });
    expect(restoreGridAnchor(anchor, ['x', 'a', 'b', 'c'], [box(0), box(104), box(208), box(312)]))
      .toBe(254);
  });
  it('at the very top there is no anchor: new photos show', () => {
    expect(captureGridAnchor(['a'], [box(0)], 0)).toBeNull();
  });
});

class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeSocket.made.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

describe('share live connection', () => {
  function make(states: LiveState[], refreshes: { n: number }) {
    FakeSocket.made = [];
    return new ShareLive('ws://x/live', {
      message: () => undefined,
      state: (s) => states.push(s),
      refresh: () => refreshes.n++,
    }, { pollMs: 5, maxFailures: 2, socket: (u) => new FakeSocket(u) as unknown as WebSocket });
  }

  it('stops for good when the link ends (4403): no retry', async () => {
    const states: LiveState[] = [];
    const refreshes = { n: 0 };
    const live = make(states, refreshes);
    live.start();
    FakeSocket.made[0]!.onopen!();
    expect(refreshes.n).toBe(1);
    FakeSocket.made[0]!.onclose!({ code: CLOSE_ENDED });
    await new Promise((r) => setTimeout(r, 30));
    expect(FakeSocket.made).toHaveLength(1);
    expect(states.at(-1)).toBe('ended');
    live.start();
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('polls, saying it is paused, when sockets never open', async () => {
    const states: LiveState[] = [];
    const refreshes = { n: 0 };
    const live = make(states, refreshes);
    vi.useFakeTimers();
    try {
      live.start();
      FakeSocket.made[0]!.onclose!({ code: 1006 });
      await vi.advanceTimersByTimeAsync(1100); // the backoff before the second attempt
      FakeSocket.made[1]!.onclose!({ code: 1006 });
      await vi.advanceTimersByTimeAsync(30);
      expect(states).toContain('paused');
      expect(refreshes.n).toBeGreaterThan(0);
      live.stop();
      expect(states.at(-1)).toBe('idle');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('share screen logic', async () => {
  const { expiresAt, linkStatus, parseOrigins, shareScreenPath } =
    await import('../../../src/lib/share/links');
  it('reads origins as a person types them', () => {
    expect(parseOrigins('https://blog.example/page, http://127.0.0.2:8080\nnope ftp://x.org'))
      .toEqual({ origins: ['https://blog.example', 'http://127.0.0.2:8080'], bad: ['nope', 'ftp://x.org'] });
  });
  it('turns expiry choices into instants and tells a link\'s status', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(expiresAt('never', now)).toBeNull();
    expect(expiresAt('7d', now)).toBe('2026-01-08T00:00:00.000Z');
    expect(linkStatus({ revokedAt: null, expiresAt: '2025-12-31T00:00:00Z' }, now)).toBe('expired');
    expect(linkStatus({ revokedAt: '2025-12-01T00:00:00Z', expiresAt: null }, now)).toBe('revoked');
    expect(linkStatus({ revokedAt: null, expiresAt: null }, now)).toBe('active');
  });
  it('opens the share screen on an album or on a filter given as JSON', () => {
    expect(shareScreenPath({ album: 'a1' })).toBe('/share?album=a1');
    const filter = { tags: ['t1'], aperture: { min: 1.8, max: null }, text: 'a&b=c' };
    const path = shareScreenPath({ filter });
    const query = new URL(path, 'http://app.invalid').searchParams;
    expect(new URL(path, 'http://app.invalid').pathname).toBe('/share');
    expect(JSON.parse(query.get('filter') ?? '')).toEqual(filter);
  });
});
