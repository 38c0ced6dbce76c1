/**
 * Build-time country shapes for the offline map: world-atlas's Natural Earth 110m TopoJSON
 * (public domain) to GeoJSON, cut at the antimeridian, as the virtual module
 * `virtual:countries` (lazy-loaded with the Map screen only).
 *
 * world-atlas stitches rings across the antimeridian, so Russia, Fiji and Antarctica would
 * draw as bands across Mercator. Projecting through d3-geo's equirectangular projection scaled
 * to degrees (identity on lon/lat) runs d3's antimeridian clipping, which splits those rings.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEquirectangular } from 'd3-geo';
import { geoProject } from 'd3-geo-projection';
import type { Plugin } from 'vite';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const ID = 'virtual:countries';
const RESOLVED = '\0' + ID;

function round(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(round);
  return value;
}

export function countriesGeoJSON(): object {
  const require = createRequire(import.meta.url);
  const path = require.resolve('world-atlas/countries-110m.json');
  const topology = JSON.parse(readFileSync(path, 'utf8')) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const countries = feature(topology, topology.objects.countries);
  // x = longitude, y = latitude, in degrees; d3 cuts rings that cross the antimeridian.
  const degrees = geoEquirectangular().scale(180 / Math.PI).translate([0, 0]).reflectY(true);
  const cut = geoProject(countries, degrees) as { features: { geometry: { coordinates: unknown } | null; properties: { name?: string } }[] };
  return {
    type: 'FeatureCollection',
    features: cut.features.filter((f) => f.geometry).map((f) => ({
      type: 'Feature',
      properties: { name: f.properties.name ?? '' },
      geometry: { ...f.geometry, coordinates: round(f.geometry!.coordinates) },
    })),
  };
}

export function countries(): Plugin {
  let cached: string | null = null;
  return {
    name: 'photonix-countries',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      cached ??= `export default ${JSON.stringify(countriesGeoJSON())};`;
      return cached;
    },
  };
}
