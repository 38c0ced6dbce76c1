/**
 * The Map screen's background: the offline country shapes (the default), or the online tiles
 * an admin chose in Settings (a raster template with {z}/{x}/{y}, or a MapLibre style JSON's
 * URL). Builds what MapLibre's `style` option takes; the photo layers are added on top later.
 */
import type { StyleSpecification } from 'maplibre-gl';

export interface TileSetting {
  url: string;
  kind: 'TILES' | 'STYLE';
  attribution: string;
}

export interface OfflineLook {
  countries: GeoJSON.FeatureCollection;
  sea: string;
  land: string;
  border: string;
}

/** MapLibre shows attributions as HTML: the admin's text is shown as text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot',
                                                 "'": '#39' }[c]!};`);
}

/** The offline map: sea, land and borders, all drawn from data shipped with the app. */
export function offlineStyle(look: OfflineLook): StyleSpecification {
  return {
    version: 8,
    sources: {
      countries: { type: 'geojson', data: look.countries,
                   attribution: 'Natural Earth (public domain)' },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': look.sea } },
      { id: 'countries', type: 'fill', source: 'countries',
        paint: { 'fill-color': look.land, 'fill-outline-color': look.border } },
      { id: 'borders', type: 'line', source: 'countries',
        paint: { 'line-color': look.border, 'line-width': 0.6 } },
    ],
  };
}

/** The `style` for an online setting: a URL for a style JSON, a raster style for a template. */
export function onlineStyle(setting: TileSetting, sea: string): StyleSpecification | string {
  if (setting.kind === 'STYLE') return setting.url;
  return {
    version: 8,
    sources: {
      base: { type: 'raster', tiles: [setting.url], tileSize: 256, maxzoom: 19,
              attribution: escapeHtml(setting.attribution) },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': sea } },
      { id: 'base', type: 'raster', source: 'base' },
    ],
  };
}
