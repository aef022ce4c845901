import type { Db } from '../../platform/db/database.js'
import { cellRangesAround, coarsenLocation, distanceMetres } from './reports.grid.js'
import { maskContactDetails, streetOnly } from './reports.redact.js'
import {
  listOpenReportsInCells,
  listPublicReportRows,
  type PublicFilter,
  type PublicReportRow,
} from './reports.queries.js'

/**
 * A report as anyone may see it (public map, list, Open311): no names or contact details; e-mail addresses and phone
 * numbers in the text masked; a sensitive report's place only to about 250 m and its street without house number;
 * photos only once a caseworker reviewed them (and never of a sensitive report).
 */
export interface PublicReport {
  id: string
  reference: string
  categoryCode: string
  status: 'open' | 'closed'
  statusNotes: string | null
  description: string
  address: string | null
  lat: number | null
  lon: number | null
  requestedAt: Date
  updatedAt: Date
  /** The responsible office's name (German, the city's language); `officeId` names it for translation. */
  agency: string
  /** Relative to the site (`/maengel/DO-…/fotos/1`); prefix the base URL for use elsewhere. */
  photoUrl: string | null
  officeId: string
  /** The workflow state of the report service (received, in_progress, fixed, …). */
  state: string
  sensitive: boolean
  closedAt: Date | null
}

export const NEARBY_DEFAULT_METRES = 100
export const NEARBY_MAX_METRES = 2000

/** The German state labels, for the Open311 status_notes; the pages translate `state` themselves. */
const STATE_NOTES: Record<string, string> = {
  received: 'Eingegangen',
  in_progress: 'In Bearbeitung',
  fixed: 'Erledigt',
  rejected: 'Nicht übernommen',
  duplicate: 'Bereits gemeldet (Duplikat)',
}

export function toPublicReport(row: PublicReportRow): PublicReport {
  const exact = row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null
  const place = exact && row.sensitive ? coarsenLocation(exact.lat, exact.lon) : exact
  const address = row.address ? (row.sensitive ? streetOnly(row.address) || null : row.address) : null
  const showPhoto = !!row.photosReviewedAt && !row.sensitive && Number(row.photoCount) > 0
  return {
    id: row.id,
    reference: row.reference,
    categoryCode: row.categoryCode,
    status: row.status,
    statusNotes: STATE_NOTES[row.state] ?? null,
    description: maskContactDetails(row.description),
    address: address ? maskContactDetails(address) : null,
    lat: place?.lat ?? null,
    lon: place?.lon ?? null,
    requestedAt: new Date(row.requestedAt),
    updatedAt: new Date(row.updatedAt),
    agency: row.agency,
    photoUrl: showPhoto ? `/maengel/${row.reference}/fotos/1` : null,
    officeId: row.officeId,
    state: row.state,
    sensitive: row.sensitive,
    closedAt: row.closedAt ? new Date(row.closedAt) : null,
  }
}

/**
 * Reports for the public, newest first. `ids` are report ids or references; `start`/`end` bound the time of the
 * report; `closedSince` keeps those closed since then ("recently fixed").
 */
export async function listPublicReports(
  db: Db,
  filter: {
    ids?: string[]
    codes?: string[]
    status?: 'open' | 'closed'
    start?: Date
    end?: Date
    limit: number
  } & Pick<PublicFilter, 'closedSince'>,
): Promise<PublicReport[]> {
  return (await listPublicReportRows(db, filter)).map(toPublicReport)
}

/** The open report with this reference as the public sees it. */
export async function findPublicReport(db: Db, reference: string): Promise<PublicReport | undefined> {
  return (await listPublicReports(db, { ids: [reference], limit: 1 }))[0]
}

/**
 * Open reports of the category within the radius (default 100 m, at most 2 km) of the point, nearest first: the
 * "already reported — follow this one instead" offer. Reads only the grid cells around the point.
 */
export async function findNearbyReports(
  db: Db,
  input: { categoryCode: string; lat: number; lon: number; radiusMetres?: number; limit?: number },
): Promise<PublicReport[]> {
  if (
    !Number.isFinite(input.lat) ||
    !Number.isFinite(input.lon) ||
    Math.abs(input.lat) > 90 ||
    Math.abs(input.lon) > 180
  )
    return []
  const radius = Math.min(Math.max(input.radiusMetres ?? NEARBY_DEFAULT_METRES, 1), NEARBY_MAX_METRES)
  const rows = await listOpenReportsInCells(db, input.categoryCode, cellRangesAround(input.lat, input.lon, radius))
  return rows
    .filter(r => r.lat !== null && r.lon !== null)
    .map(r => ({ row: r, distance: distanceMetres(input, { lat: r.lat!, lon: r.lon! }) }))
    .filter(r => r.distance <= radius)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, Math.max(1, Math.min(input.limit ?? 5, 50)))
    .map(r => toPublicReport(r.row))
}
