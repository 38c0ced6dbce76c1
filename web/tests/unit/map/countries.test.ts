import { describe, expect, it } from 'vitest';
import { countriesGeoJSON } from '../../../build/countries';

type Ring = [number, number][];
interface Shape {
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Ring[] | Ring[][] };
}

function outerRings(shape: Shape): Ring[] {
  return shape.geometry.type === 'Polygon'
    ? [(shape.geometry.coordinates as Ring[])[0]!]
    : (shape.geometry.coordinates as Ring[][]).map((p) => p[0]!);
}

describe('build-time country shapes', () => {
  const world = countriesGeoJSON() as { features: Shape[] };

  it('has the countries, in lon/lat degrees', () => {
    expect(world.features.length).toBeGreaterThan(170);
    const france = world.features.find((f) => f.properties.name === 'France')!;
    const [lon, lat] = outerRings(france).flat()[0]!;
    expect(lon).toBeGreaterThan(-62); // overseas France too, but never outside the globe
    expect(lat).toBeGreaterThan(-22);
  });

  it('cuts every ring at the antimeridian (no band across the map)', () => {
    for (const name of ['Russia', 'Fiji', 'Antarctica']) {
      const shape = world.features.find((f) => f.properties.name === name)!;
      expect(shape.geometry.type).toBe('MultiPolygon');
      for (const ring of outerRings(shape)) {
        const lons = ring.map(([x]) => x);
        // A ring stitched across 180° spans ~360° of longitude; cut pieces stay on one side.
        expect(Math.max(...lons) - Math.min(...lons)).toBeLessThan(361);
        expect(lons.every((x) => x >= -180.001 && x <= 180.001)).toBe(true);
        const crosses = ring.some(([x], i) => i > 0 && Math.abs(x - ring[i - 1]![0]) > 180);
        expect(crosses, name).toBe(false);
      }
    }
  });
});

describe('the country of a position', async () => {
  const { CountryIndex } = await import('../../../src/lib/map/country');
  const index = new CountryIndex(countriesGeoJSON() as { features: Shape[] });

  it('names countries on both sides of the antimeridian, and none at sea', () => {
    expect(index.at([11.88, 43.47])).toBe('Italy'); // Arezzo
    expect(index.at([-175, 67])).toBe('Russia'); // Chukotka, west of 180°
    expect(index.at([100, 60])).toBe('Russia');
    expect(index.at([185, 67])).toBe('Russia'); // a world copy's longitude
    expect(index.at([-30, 30])).toBeNull(); // the Atlantic
  });
});
