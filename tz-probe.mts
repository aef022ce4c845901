import { PGlite } from '@electric-sql/pglite'
const db = await PGlite.create('memory://')
console.log((await db.query(`select ('2026-03-29'::date)::timestamp at time zone 'Europe/Berlin' as a, (('2026-03-29'::date) + 1)::timestamp at time zone 'Europe/Berlin' as b`)).rows)
