import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import type { VirusScanner } from '../../platform/files/virus-scan.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { insertCaseEvent, retentionEnd, setCaseStatus } from '../cases/index.js'
import { reportServices } from './reports.categories.js'
import { setReportState } from './reports.queries.js'
import { submitReport } from './reports.submit.js'

const demo: {
  code: string
  lat: number
  lon: number
  address: string
  description: string
  fixed?: boolean
  email?: string
}[] = [
  {
    code: 'street-light',
    lat: 51.51352,
    lon: 7.46528,
    address: 'Friedensplatz',
    description: 'Zwei Laternen am Rand des Platzes bleiben abends dunkel.',
  },
  {
    code: 'pothole',
    lat: 51.50512,
    lon: 7.45238,
    address: 'Hohe Straße 40',
    description: 'Tiefes Schlagloch auf der rechten Spur, Radfahrende müssen ausweichen.',
    email: 'murat.demir@example.org',
  },
  {
    code: 'illegal-dumping',
    lat: 51.52831,
    lon: 7.47112,
    address: 'Borsigplatz',
    description: 'Sperrmüll (Sofa, Matratze) neben den Glascontainern abgeladen.',
  },
  {
    code: 'playground',
    lat: 51.49795,
    lon: 7.47735,
    address: 'Westfalenpark, Spielplatz am Eingang Ruhrallee',
    description: 'Die Kette der Schaukel ist gerissen.',
    fixed: true,
  },
  {
    code: 'litter-bin',
    lat: 51.51746,
    lon: 7.45936,
    address: 'Hauptbahnhof, Nordausgang',
    description: 'Papierkörbe quellen seit dem Wochenende über.',
  },
  {
    code: 'tree',
    lat: 51.48977,
    lon: 7.41402,
    address: 'Rombergpark, Hauptweg',
    description: 'Großer Ast nach dem Sturm auf dem Weg, man kommt kaum vorbei.',
    fixed: true,
  },
  {
    code: 'graffiti',
    lat: 51.51408,
    lon: 7.47862,
    address: 'Brücke Weißenburger Straße',
    description: 'Frische Schmierereien an der Brückenwand.',
  },
  {
    code: 'abandoned-vehicle',
    lat: 51.53214,
    lon: 7.43995,
    address: 'Mallinckrodtstraße 210',
    description: 'Ein Auto ohne Kennzeichen steht seit Wochen hier.',
  },
]

// The demo reports carry no photos; one added here would be refused, never stored unscanned.
const refuseEveryPhoto: VirusScanner = {
  mode: 'clamd',
  scan: async () => ({ verdict: 'unavailable', reason: 'the seed has no virus scanner' }),
}

/** A few reports spread over Dortmund, some fixed, so the public map is not empty on a first start. */
export async function seedDemoReports(db: Db, services: ServiceRegistry, config: Config): Promise<void> {
  const definition = reportServices(services)[0]
  if (!definition) return
  const fixed = definition.workflow.states.find(s => s.final && s.outcome === 'approved')
  for (const [i, r] of demo.entries()) {
    if (!definition.report?.categories.some(c => c.code === r.code)) continue
    const created = await submitReport(
      { db, services, config, scanner: refuseEveryPhoto },
      {
        categoryCode: r.code,
        description: r.description,
        lat: r.lat,
        lon: r.lon,
        address: r.address,
        photos: [],
        contact: r.email ? { email: r.email } : undefined,
        locale: 'de',
        source: 'web',
        clientIp: `demo-${i}`,
        idempotencyKey: `demo-report-${i}`,
      },
    )
    if (r.fixed && fixed) {
      await db.transaction().execute(async trx => {
        await setCaseStatus(trx, created.caseId, fixed.id, retentionEnd(new Date(), definition.retention.years))
        await insertCaseEvent(trx, {
          caseId: created.caseId,
          kind: 'transition',
          internal: false,
          data: { from: definition.workflow.initial, to: fixed.id },
        })
        await setReportState(trx, created.caseId, fixed.id, true)
      })
    }
  }
}
