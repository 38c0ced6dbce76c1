/**
 * Longitude wraps around: photos in Fiji (178°E) and Samoa (172°W) lie 10° apart across the
 * antimeridian, not 350° apart across the world. `frame` finds the smallest box holding every
 * position (its east may pass 180°, which MapLibre draws on the next world copy); `serverBox`
 * turns a view's bounds back into what `mapPositions` takes (-180..180, west > east across the
 * antimeridian).
 */

/** A box in degrees; `east - west` is its width, so `east` may be above 180. */
export interface Frame {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** The longitude in [-180, 180). */
export function wrapLongitude(lon: number): number {
  if (lon >= -180 && lon < 180) return lon; // exact: no float noise from the modulo
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * The smallest box holding every [lon, lat]: the world minus the widest stretch of longitude
 * with no photo. Null when there is none. Ties keep the box that does not cross the antimeridian.
 */
export function frame(positions: Iterable<readonly [number, number]>): Frame | null {
  const lons: number[] = [];
  let south = Infinity;
  let north = -Infinity;
  for (const [lon, lat] of positions) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    lons.push(wrapLongitude(lon));
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  if (!lons.length) return null;
  lons.sort((a, b) => a - b);
  const last = lons.length - 1;
  // Start with the gap across the antimeridian (east of the last, west of the first): a box
  // that does not cross it, from the first to the last.
  let widest = lons[0]! + 360 - lons[last]!;
  let west = lons[0]!;
  let east = lons[last]!;
  for (let i = 0; i < last; i += 1) {
    const gap = lons[i + 1]! - lons[i]!;
    if (gap > widest) {
      widest = gap;
      west = lons[i + 1]!;
      east = lons[i]! + 360;
    }
  }
  return { west, south, east, north };
}

/** A box for `mapPositions`: longitudes in -180..180 (west > east: across the antimeridian). */
export interface ServerBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** What a view's bounds (unwrapped longitudes, as a map with world copies has them) cover. */
export function serverBox(view: Frame): ServerBox {
  const south = Math.max(-90, Math.min(90, view.south));
  const north = Math.max(-90, Math.min(90, view.north));
  if (view.east - view.west >= 360) return { west: -180, south, east: 180, north };
  const west = wrapLongitude(view.west);
  let east = wrapLongitude(view.east);
  // An east edge on the antimeridian is 180, not -180 (which would cross it to nothing).
  if (east === -180) east = 180;
  return { west, south, east, north };
}

/** MapLibre's world is this many pixels high (and wide) at zoom 0. */
const WORLD_PX = 512;

function mercatorY(lat: number): number {
  const clamped = Math.max(-85.051129, Math.min(85.051129, lat));
  return 0.5 - Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360)) / (2 * Math.PI);
}

function latitudeAt(y: number): number {
  return (360 / Math.PI) * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - 90;
}

/**
 * The centre latitude a view may have. A world taller than the view is kept covering it (no
 * empty band above the Arctic or below Antarctica); a world shorter than the view, as a phone's
 * tall map zoomed out to fit photos far apart shows it, sits in its middle.
 */
export function constrainLatitude(lat: number, zoom: number, viewHeight: number): number {
  const world = WORLD_PX * 2 ** zoom;
  if (world <= viewHeight) return 0;
  const half = viewHeight / 2 / world;
  return latitudeAt(Math.max(half, Math.min(1 - half, mercatorY(lat))));
}
