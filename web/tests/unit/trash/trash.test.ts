import { describe, expect, it } from 'vitest';
import { loadAllPages, localWallClock, trashModel, trashTile, type TrashNode } from '../../../src/lib/trash/trash';

const node = (id: string, trashedAt: string, width = 600, height = 400): TrashNode => ({
  id, trashedAt, width, height, placeholder: null, thumbnailUrl: `/t/${id}`,
});

describe('the trash as a grid', () => {
  it('dates tiles by when they were trashed, in local wall-clock time', () => {
    const at = '2026-12-05T07:47:09+00:00';
    const local = new Date(at);
    expect(localWallClock(at)).toBe(
      `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-`
      + `${String(local.getDate()).padStart(2, '0')}T${String(local.getHours()).padStart(2, '0')}:47:09`);
    const tile = trashTile(node('a', at));
    expect(tile).toMatchObject({ id: 'a', ratio: 1.5, thumbnailUrl: '/t/a', missing: false });
    expect(tile.takenAt).toBe(localWallClock(at));
    expect(trashTile({ id: 'b' })).toMatchObject({ ratio: 1, takenAt: null, thumbnailUrl: '' });
  });

  it('groups by month of trashing, most recently trashed first, and follows removals', () => {
    const tiles = [
      node('old', '2026-10-03T12:00:00Z'),
      node('newest', '2026-12-05T12:00:00Z'),
      node('newer', '2026-12-04T12:00:00Z'),
    ].map(trashTile);
    const model = trashModel(tiles, 412);
    expect(model.months.map((m) => m.month)).toEqual(['2026-12', '2026-10']);
    expect(model.months.every((m) => m.loaded)).toBe(true);
    expect(model.months[0]!.photos!.map((p) => p.id)).toEqual(['newest', 'newer']);
    expect(model.neighbour('newer', 1)?.id).toBe('old');
    expect(model.remove('old')).toBe(true);
    expect(model.months.map((m) => m.month)).toEqual(['2026-12']);
    expect(model.insert([trashTile(node('latest', '2026-12-06T12:00:00Z'))])).toBe(1);
    expect(model.months[0]!.photos!.map((p) => p.id)).toEqual(['latest', 'newest', 'newer']);
    expect(trashModel([], 412).months).toEqual([]);
  });

  it('follows cursors until the last page', async () => {
    const asked: (string | null)[] = [];
    const pages: Record<string, { nodes: TrashNode[]; next: string | null }> = {
      start: { nodes: [{ id: '1' }, { id: '2' }], next: 'c2' },
      c2: { nodes: [{ id: '3' }], next: null },
    };
    const all = await loadAllPages(async (after) => {
      asked.push(after);
      const page = pages[after ?? 'start']!;
      return { nodes: page.nodes, endCursor: page.next ?? after, hasNextPage: page.next !== null };
    });
    expect(all.map((n) => n.id)).toEqual(['1', '2', '3']);
    expect(asked).toEqual([null, 'c2']);
    // A server repeating its cursor cannot make it loop.
    const stuck = await loadAllPages(async () => ({ nodes: [{ id: 'x' }], endCursor: 'same',
                                                    hasNextPage: true }));
    expect(stuck.length).toBe(2);
  });
});
