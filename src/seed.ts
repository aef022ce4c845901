import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from './platform/db/database.js'
import type { Config } from './platform/config.js'
import { hashPassword, type PasswordHashCost } from './platform/auth/password.js'
import {
  loadOfflineEntries,
  loadOffices,
  loadServiceDefinitions,
  ServiceRegistry,
  syncServices,
  type Office,
} from './modules/catalogue/index.js'
import type { LoadedService } from './modules/catalogue/definitions.load.js'
import type { StaffRole } from './platform/db/schema.js'
import { CONSENT_TEXT_VERSIONS } from './platform/privacy/consents.js'
import { seedDemoCases } from './demo-cases.js'
import { loadLifeEvents } from './modules/suggestions/index.js'
import { seedDemoReports } from './modules/reports/index.js'
import { ensureTriageModels } from './modules/triage/index.js'
import { loadResources, seedDemoBookings, syncResources, type Resource } from './modules/booking/index.js'

export const DEMO_PASSWORD = 'Bauhaus-Demo-2026'
export const DEMO_CITIZEN = 'erika.mustermann@example.org'
export const DEMO_BUSINESS = 'info@baeckerei-beispiel.example'
export const demoStaffEmail = (officeId: string, role: 'caseworker' | 'team_lead') =>
  `${role === 'caseworker' ? 'sb' : 'tl'}.${officeId}@stadt.example`
export const DEMO_ADMIN = 'admin@stadt.example'
/** Office admin of the Bürgerdienste; DEMO_ADMIN's platform_admin role reaches the administration of every office. */
export const DEMO_OFFICE_ADMIN = 'admin.buergerdienste@stadt.example'
/** The city treasury (Stadtkasse): payments of every office, no case files. */
export const DEMO_TREASURY = 'kasse@stadt.example'
const TREASURY_OFFICE = 'stadtkasse-steueramt'
/** The Bürgerbüro's counter: files applications for people of any office's services, reads no case file. */
export const DEMO_COUNTER = 'schalter@stadt.example'
/** Pre-sorting: routing decisions for every office train the model. */
export const DEMO_TRIAGE = 'vorsortierung@stadt.example'
/** Owner (member) of the demo business Bäckerei Beispiel GmbH: applies for the company with his own account. */
export const DEMO_BUSINESS_OWNER = 'paul.beispiel@example.org'
/** A sports club (business account of type club) with two members who book halls in its name (docs/facilities.md). */
export const DEMO_CLUB = 'vorstand@tus-eving.example'
export const DEMO_CLUB_OWNER = 'jana.berg@example.org'
export const DEMO_CLUB_CLERK = 'tom.kaya@example.org'
const COUNTER_OFFICE = 'buergerdienste'

/** Offices and services from services/, then (optionally) demo people. Safe to run again. */
export async function seedAll(
  db: Db,
  config: Config,
  opts: {
    demo: boolean
    demoCases?: boolean
    loaded?: { offices: Office[]; services: LoadedService[]; resources?: Resource[] }
  },
) {
  // The boot has checked the definitions already; reading 6,000 files again would double its time.
  const offices = opts.loaded?.offices ?? loadOffices(config.servicesDir)
  const services = opts.loaded?.services ?? loadServiceDefinitions(config.servicesDir, offices)
  await syncServices(db, offices, services)
  const resources =
    opts.loaded?.resources ??
    loadResources(
      config.servicesDir,
      offices.map(o => o.id),
    )
  await syncResources(db, resources)
  // The pre-sorting starter sets and first models, so a new city starts with working suggestions.
  await ensureTriageModels(db, config)
  if (opts.demo) {
    const fresh = await seedDemoPeople(
      db,
      offices.map(o => o.id),
      config.passwordHashCost,
    )
    const officeIds = offices.map(o => o.id)
    await seedDemoSpecialist(db, officeIds, config.passwordHashCost, {
      email: DEMO_TREASURY,
      name: 'Karl Kasse (Stadtkasse)',
      officeId: TREASURY_OFFICE,
      role: 'treasury',
    })
    await seedDemoSpecialist(db, officeIds, config.passwordHashCost, {
      email: DEMO_COUNTER,
      name: 'Sina Schalter (Bürgerbüro)',
      officeId: COUNTER_OFFICE,
      role: 'counter',
    })
    await seedDemoSpecialist(db, officeIds, config.passwordHashCost, {
      email: DEMO_TRIAGE,
      name: 'Vera Vorsortierung (Bürgerbüro)',
      officeId: COUNTER_OFFICE,
      role: 'triage',
    })
    await seedDemoBusinessOwner(db, config.passwordHashCost)
    await seedDemoClub(db, config.passwordHashCost)
    if (fresh && opts.demoCases) {
      const citizen = await db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', DEMO_CITIZEN)
        .executeTakeFirstOrThrow()
      await seedDemoMandate(db, citizen.id, config.mandatesOffice)
      // Defect reports are filed through their own form (and get their own demo data below), not as applications.
      const definitions = services.map(s => s.definition)
      const lifeEvents = loadLifeEvents(
        config.servicesDir,
        definitions,
        loadOfflineEntries(config.servicesDir, offices, services),
      )
      await seedDemoCases(
        db,
        definitions.filter(d => !d.report),
        citizen.id,
        lifeEvents.map(rule => rule.event),
      )
      await seedDemoReports(db, new ServiceRegistry(db, offices, services), config)
    }
    // Every start with demo cases: today's and tomorrow's appointments at the counter, so its list is never empty.
    const counter = resources.find(r => r.id === 'buergerbuero-mitte')
    const clerk = await db
      .selectFrom('staff')
      .select('id')
      .where('email', '=', demoStaffEmail(COUNTER_OFFICE, 'caseworker'))
      .executeTakeFirst()
    if (opts.demoCases && counter && clerk) await seedDemoBookings(db, counter, clerk.id, new Date())
  }
}

/**
 * A demo person of one special role (treasury, counter, triage), added on its own so databases seeded before the role
 * existed get it too.
 */
async function seedDemoSpecialist(
  db: Db,
  officeIds: string[],
  hashCost: PasswordHashCost,
  person: { email: string; name: string; officeId: string; role: StaffRole },
) {
  if (!officeIds.includes(person.officeId)) return
  const existing = await db.selectFrom('staff').select('id').where('email', '=', person.email).executeTakeFirst()
  if (existing) return
  const id = crypto.randomUUID()
  const passwordHash = await hashPassword(DEMO_PASSWORD, hashCost)
  await db.transaction().execute(async trx => {
    // Two instances starting at once: the second finds the address taken and adds nothing.
    const added = await trx
      .insertInto('staff')
      .values({ id, email: person.email, name: person.name, password_hash: passwordHash })
      .onConflict(oc => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (added)
      await trx
        .insertInto('staff_roles')
        .values({ staff_id: id, office_id: person.officeId, role: person.role })
        .execute()
  })
}

/**
 * TuS Eving-Lindenhorst 1910 e.V.: a club's business account with its organisation profile, and two members (the
 * chair as owner, a coach as clerk) who book halls and apply for season slots in its name. Added on its own, so
 * databases seeded before facility booking existed get it too.
 */
async function seedDemoClub(db: Db, hashCost: PasswordHashCost) {
  const existing = await db.selectFrom('accounts').select('id').where('email', '=', DEMO_CLUB).executeTakeFirst()
  if (existing) return
  const passwordHash = await hashPassword(DEMO_PASSWORD, hashCost)
  await db.transaction().execute(async trx => {
    const clubId = crypto.randomUUID()
    const added = await trx
      .insertInto('accounts')
      .values({
        id: clubId,
        kind: 'business',
        email: DEMO_CLUB,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        company_name: 'TuS Eving-Lindenhorst 1910 e. V.',
        given_name: 'Jana',
        family_name: 'Berg',
        street: 'Deutsche Straße',
        house_number: '40',
        postal_code: '44339',
        city: 'Dortmund',
      })
      .onConflict(oc => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!added) return
    await trx
      .insertInto('organisation_profiles')
      .values({ account_id: clubId, organisation_type: 'club', member_count: 412, register_number: 'VR 2345' })
      .execute()
    const now = new Date()
    for (const [email, givenName, familyName, role] of [
      [DEMO_CLUB_OWNER, 'Jana', 'Berg', 'owner'],
      [DEMO_CLUB_CLERK, 'Tom', 'Kaya', 'clerk'],
    ] as const) {
      const memberId = crypto.randomUUID()
      const member = await trx
        .insertInto('accounts')
        .values({
          id: memberId,
          kind: 'citizen',
          email,
          password_hash: passwordHash,
          email_verified_at: now,
          given_name: givenName,
          family_name: familyName,
          postal_code: '44339',
          city: 'Dortmund',
        })
        .onConflict(oc => oc.column('email').doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!member) continue
      await trx
        .insertInto('business_members')
        .values({
          id: crypto.randomUUID(),
          business_account_id: clubId,
          member_account_id: memberId,
          role,
          invited_email: email,
          invite_token_hash: null,
          status: 'active',
          invited_at: now,
          accepted_at: now,
        })
        .execute()
    }
  })
}

/**
 * Paul Beispiel, owner of the demo business: a person's account that is an active member of Bäckerei Beispiel GmbH.
 * Added on his own, so databases seeded before acting on behalf existed get him too.
 */
async function seedDemoBusinessOwner(db: Db, hashCost: PasswordHashCost) {
  const existing = await db
    .selectFrom('accounts')
    .select('id')
    .where('email', '=', DEMO_BUSINESS_OWNER)
    .executeTakeFirst()
  const business = await db.selectFrom('accounts').select('id').where('email', '=', DEMO_BUSINESS).executeTakeFirst()
  if (existing || !business) return
  const passwordHash = await hashPassword(DEMO_PASSWORD, hashCost)
  await db.transaction().execute(async trx => {
    const id = crypto.randomUUID()
    const added = await trx
      .insertInto('accounts')
      .values({
        id,
        kind: 'citizen',
        email: DEMO_BUSINESS_OWNER,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        given_name: 'Paul',
        family_name: 'Beispiel',
        birth_date: '1979-04-02',
        street: 'Kaiserstraße',
        house_number: '7',
        postal_code: '44135',
        city: 'Dortmund',
      })
      .onConflict(oc => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!added) return
    const now = new Date()
    await trx
      .insertInto('business_members')
      .values({
        id: crypto.randomUUID(),
        business_account_id: business.id,
        member_account_id: id,
        role: 'owner',
        invited_email: DEMO_BUSINESS_OWNER,
        invite_token_hash: null,
        status: 'active',
        invited_at: now,
        accepted_at: now,
      })
      .execute()
  })
}

/** Erika acts for her son Max Mustermann: a mandate the checking office approved, with its proof (a demo PDF). */
async function seedDemoMandate(db: Db, erikaId: string, officeId: string) {
  await db.transaction().execute(async trx => {
    const fileId = crypto.randomUUID()
    const proof = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    )
    await trx
      .insertInto('files')
      .values({
        id: fileId,
        filename: 'geburtsurkunde-max.pdf',
        media_type: 'application/pdf',
        size_bytes: proof.length,
        sha256: crypto.createHash('sha256').update(proof).digest('hex'),
        content: proof,
        uploaded_by_account_id: erikaId,
      })
      .execute()
    const now = new Date()
    await trx
      .insertInto('mandates')
      .values({
        id: crypto.randomUUID(),
        agent_account_id: erikaId,
        kind: 'parent',
        principal_given_name: 'Max',
        principal_family_name: 'Mustermann',
        principal_birth_date: '2016-05-20',
        office_id: officeId,
        proof_file_id: fileId,
        status: 'active',
        created_at: now,
        decided_at: now,
      })
      .execute()
  })
}

/** Adds the demo people once; true when they were added now. */
async function seedDemoPeople(db: Db, officeIds: string[], hashCost: PasswordHashCost): Promise<boolean> {
  const existing = await db.selectFrom('staff').select('id').where('email', '=', DEMO_ADMIN).executeTakeFirst()
  if (existing) return false
  // One hash for all demo people: argon2 is slow on purpose, and they share the demo password.
  const passwordHash = await hashPassword(DEMO_PASSWORD, hashCost)
  await db.transaction().execute(async trx => {
    const addStaff = async (email: string, name: string, roles: { officeId: string; role: StaffRole }[]) => {
      const id = crypto.randomUUID()
      await trx
        .insertInto('staff')
        .values({ id, email, name, password_hash: passwordHash })
        .onConflict(oc => oc.column('email').doNothing())
        .execute()
      for (const r of roles)
        await trx
          .insertInto('staff_roles')
          .values({ staff_id: id, office_id: r.officeId, role: r.role })
          .onConflict(oc => oc.doNothing())
          .execute()
    }
    const givenNames = [
      'Anna',
      'Jonas',
      'Leyla',
      'Mehmet',
      'Sophie',
      'Lukas',
      'Marie',
      'Ben',
      'Elif',
      'Paul',
      'Hannah',
      'Tim',
      'Lea',
      'Noah',
    ]
    for (const [i, officeId] of officeIds.entries()) {
      await addStaff(
        demoStaffEmail(officeId, 'caseworker'),
        `${givenNames[i % givenNames.length]} Sachbearbeitung (${officeId})`,
        [{ officeId, role: 'caseworker' }],
      )
      await addStaff(
        demoStaffEmail(officeId, 'team_lead'),
        `${givenNames[(i + 5) % givenNames.length]} Teamleitung (${officeId})`,
        [
          { officeId, role: 'team_lead' },
          { officeId, role: 'caseworker' },
        ],
      )
    }
    await addStaff(DEMO_ADMIN, 'Plattform-Administration', [{ officeId: officeIds[0]!, role: 'platform_admin' }])
    if (officeIds.includes('buergerdienste'))
      await addStaff(DEMO_OFFICE_ADMIN, 'Clara Administration (buergerdienste)', [
        { officeId: 'buergerdienste', role: 'office_admin' },
      ])
    await trx
      .insertInto('accounts')
      .values({
        id: crypto.randomUUID(),
        kind: 'citizen',
        email: DEMO_CITIZEN,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        given_name: 'Erika',
        family_name: 'Mustermann',
        birth_date: '1984-08-12',
        street: 'Friedensplatz',
        house_number: '1',
        postal_code: '44135',
        city: 'Dortmund',
        phone: '0231 500',
      })
      .onConflict(oc => oc.column('email').doNothing())
      .execute()
    await trx
      .insertInto('accounts')
      .values({
        id: crypto.randomUUID(),
        kind: 'business',
        email: DEMO_BUSINESS,
        password_hash: passwordHash,
        email_verified_at: new Date(),
        company_name: 'Bäckerei Beispiel GmbH',
        given_name: 'Kemal',
        family_name: 'Yilmaz',
        street: 'Westenhellweg',
        house_number: '12',
        postal_code: '44137',
        city: 'Dortmund',
        phone: '0231 123456',
      })
      .onConflict(oc => oc.column('email').doNothing())
      .execute()
    // Registering agrees to e-mail notices (accounts.service.ts records it); the demo people registered, too.
    await sql`insert into consents (id, account_id, kind, text_version, given_at)
      select gen_random_uuid(), id, 'email-notices', ${CONSENT_TEXT_VERSIONS['email-notices']}, created_at
      from accounts a
      where not exists (select 1 from consents c where c.account_id = a.id and c.kind = 'email-notices')`.execute(trx)
  })
  return true
}
