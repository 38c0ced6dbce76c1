// d3-geo-projection ships no types; the one function the build uses.
declare module 'd3-geo-projection' {
  import type { GeoProjection } from 'd3-geo';
  export function geoProject<T>(object: T, projection: GeoProjection): T;
}
