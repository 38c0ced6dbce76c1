import { describe, expect, it } from 'vitest';
import { escapeHtml, offlineStyle, onlineStyle } from '../../../src/lib/map/tiles';

describe('map backgrounds', () => {
  it('draws a raster template as one raster layer with the escaped attribution', () => {
    const style = onlineStyle({ url: 'https://tiles.example.org/{z}/{x}/{y}.png', kind: 'TILES',
                                attribution: '© <b>Tiles</b> & "friends"' }, '#ccc');
    expect(typeof style).toBe('object');
    if (typeof style === 'string') return;
    expect(style.sources.base).toEqual({
      type: 'raster', tiles: ['https://tiles.example.org/{z}/{x}/{y}.png'], tileSize: 256,
      maxzoom: 19, attribution: '© &lt;b&gt;Tiles&lt;/b&gt; &amp; &quot;friends&quot;',
    });
    expect(style.layers.map((l) => l.id)).toEqual(['sea', 'base']);
  });

  it('hands a style JSON URL to MapLibre as it is', () => {
    const url = 'https://maps.example.net/styles/liberty.json';
    expect(onlineStyle({ url, kind: 'STYLE', attribution: 'OpenFreeMap' }, '#ccc')).toBe(url);
  });

  it('draws the offline shapes from the data it is given, with no URL anywhere', () => {
    const countries = { type: 'FeatureCollection' as const, features: [] };
    const style = offlineStyle({ countries, sea: '#00f', land: '#fff', border: '#999' });
    expect(style.sources.countries).toMatchObject({ type: 'geojson', data: countries });
    expect(JSON.stringify(style)).not.toMatch(/https?:/);
  });

  it('escapes every character HTML gives a meaning', () => {
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });
});
