// The module dashboard/world_map.mjs makes at build time.
declare module 'virtual:world-map' {
  export const kMapWidth: number;
  export const kMapHeight: number;
  // ISO 3166-1 alpha-2 code -> SVG path in a kMapWidth x kMapHeight box.
  export const kCountryPaths: Record<string, string>;
}
