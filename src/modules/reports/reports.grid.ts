/**
 * A grid of cells of about 100 m × 100 m over the earth (at Dortmund's latitude). A report stores its cell; "near"
 * reads the few cells around a point through the index (category, cell), never the whole table. PGlite has no PostGIS.
 */
export const CELL_LAT_DEGREES = 0.0009
export const CELL_LON_DEGREES = 0.0014
const METRES_PER_DEGREE = 111_320
const ROW = 1_000_000

const cellY = (lat: number) => Math.floor((lat + 90) / CELL_LAT_DEGREES)
const cellX = (lon: number) => Math.floor((lon + 180) / CELL_LON_DEGREES)

export function gridCellOf(lat: number, lon: number): number {
  return cellY(lat) * ROW + cellX(lon)
}

/** Ranges of cell numbers (one per row of cells) that cover a circle of the radius around the point. */
export function cellRangesAround(lat: number, lon: number, radiusMetres: number): [number, number][] {
  const ky = Math.ceil(radiusMetres / (CELL_LAT_DEGREES * METRES_PER_DEGREE))
  const kx = Math.ceil(
    radiusMetres / (CELL_LON_DEGREES * METRES_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180))),
  )
  const y = cellY(lat)
  const x = cellX(lon)
  const ranges: [number, number][] = []
  for (let dy = -ky; dy <= ky; dy++) ranges.push([(y + dy) * ROW + (x - kx), (y + dy) * ROW + (x + kx)])
  return ranges
}

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h))
}

/** About 250 m: where a sensitive report is shown, the centre of its cell of this size, not the exact place. */
const COARSE_LAT = 0.00225
const COARSE_LON = 0.0036
export function coarsenLocation(lat: number, lon: number): { lat: number; lon: number } {
  return {
    lat: Number(((Math.floor(lat / COARSE_LAT) + 0.5) * COARSE_LAT).toFixed(5)),
    lon: Number(((Math.floor(lon / COARSE_LON) + 0.5) * COARSE_LON).toFixed(5)),
  }
}
