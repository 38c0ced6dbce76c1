/**
 * Which country a position is in, from the map's own country shapes (lon/lat polygons cut at
 * the antimeridian): an even-odd test per ring after a bounding-box check. Independent of the
 * zoom level (the drawn tiles are simplified when zoomed out, so asking the renderer is not).
 */

type Ring = number[][];
interface Shape {
  properties: { [key: string]: unknown } | null;
  geometry: { type: string; coordinates?: unknown } | null;
}

interface Indexed {
  name: string;
  polygons: Ring[][];
  box: [number, number, number, number];
}

function inRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export class CountryIndex {
  private readonly shapes: Indexed[] = [];

  constructor(collection: { features: readonly Shape[] }) {
    for (const f of collection.features) {
      const g = f.geometry;
      if (!g) continue;
      const polygons = g.type === 'Polygon' ? [g.coordinates as Ring[]]
        : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : [];
      const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const polygon of polygons) {
        for (const [x, y] of (polygon[0] ?? []) as [number, number][]) {
          box[0] = Math.min(box[0], x);
          box[1] = Math.min(box[1], y);
          box[2] = Math.max(box[2], x);
          box[3] = Math.max(box[3], y);
        }
      }
      const name = f.properties?.name;
      this.shapes.push({ name: typeof name === 'string' ? name : '', polygons, box });
    }
  }

  /** The country at [lon, lat], or null at sea (or off the shapes' resolution). */
  at([lon, y]: [number, number]): string | null {
    // Tiles hand back points past 180° (a world copy): bring them into [-180, 180).
    const x = ((((lon + 180) % 360) + 360) % 360) - 180;
    const point: [number, number] = [x, y];
    for (const s of this.shapes) {
      if (x < s.box[0] || x > s.box[2] || y < s.box[1] || y > s.box[3]) continue;
      for (const [outer, ...holes] of s.polygons) {
        if (outer && inRing(point, outer) && !holes.some((h) => inRing(point, h))) {
          return s.name || null;
        }
      }
    }
    return null;
  }
}
