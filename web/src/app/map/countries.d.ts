// The country shapes made at build time (web/build/countries.ts).
declare module 'virtual:countries' {
  const countries: GeoJSON.FeatureCollection;
  export default countries;
}
