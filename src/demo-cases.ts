import crypto from 'node:crypto'
import type { Db } from './platform/db/database.js'
import type { Condition, Field, ServiceDefinition } from './modules/catalogue/index.js'
import { createCase, insertCaseEvent } from './modules/cases/index.js'
import { deliverToApplicant } from './modules/postbox/index.js'
import { applicantNameOf, fieldTypeOf, isConditionMet, type Answers } from './modules/forms/index.js'
import { todayInGermany } from './platform/i18n/i18n.js'

interface DemoPerson {
  accountId: string | null
  givenName: string
  familyName: string
  email: string
  birthDate: string
}

const people: Omit<DemoPerson, 'accountId'>[] = [
  { givenName: 'Erika', familyName: 'Mustermann', email: 'erika.mustermann@example.org', birthDate: '1984-08-12' },
  { givenName: 'Murat', familyName: 'Demir', email: 'murat.demir@example.org', birthDate: '1979-03-02' },
  { givenName: 'Anke', familyName: 'Schulte', email: 'anke.schulte@example.org', birthDate: '1991-11-23' },
  { givenName: 'Piotr', familyName: 'Nowak', email: 'piotr.nowak@example.org', birthDate: '1968-06-30' },
]

/** A plausible answer for a demo case; fields with patterns or uploads stay empty, as at a counter without papers. */
function demoAnswer(field: Field, person: DemoPerson): Answers[string] | undefined {
  const today = todayInGermany()
  switch (field.prefill) {
    case 'givenName':
      return person.givenName
    case 'familyName':
      return person.familyName
    case 'email':
      return person.email
    case 'birthDate':
      return person.birthDate
    case 'address':
      return { street: 'Friedensplatz', houseNumber: '1', postalCode: '44135', city: 'Dortmund' }
    case 'companyName':
      return `${person.familyName} Handel GmbH`
  }
  if (field.pattern) return undefined
  return fieldTypeOf(field).example(field, today) ?? undefined
}

/** `preset` answers some fields first (a life event's condition); the fields after them follow from them. */
function demoAnswers(def: ServiceDefinition, person: DemoPerson, preset: Answers = {}): Answers {
  const answers: Answers = {}
  for (const page of def.form.pages) {
    if (!isConditionMet(page.showIf, answers)) continue
    for (const field of page.fields) {
      if (!isConditionMet(field.showIf, answers)) continue
      const value = preset[field.id] ?? demoAnswer(field, person)
      if (value !== undefined) answers[field.id] = value
    }
  }
  return answers
}

/** The answer that meets a condition: a ticked checkbox for `equals: true`, else the value it asks for. */
function answerMeeting(cond: Condition): Answers {
  const value = cond.equals === true ? 'yes' : cond.equals !== undefined ? String(cond.equals) : cond.in?.[0]
  return value === undefined || cond.equals === false ? {} : { [cond.field]: value }
}

/**
 * Cases for the demo: two per service, one of each from the demo citizen, so the inbox, the
 * timeline and the postbox have something to show on first start. And one more from the demo citizen for each life
 * event (services/_life-events.yaml) whose condition it meets, so that the suggestions have something to show.
 */
export async function seedDemoCases(
  db: Db,
  services: ServiceDefinition[],
  demoCitizenId: string,
  lifeEvents: { service: string; when?: Condition }[] = [],
) {
  await db.transaction().execute(async trx => {
    const erika: DemoPerson = { ...people[0]!, accountId: demoCitizenId }
    const seen = new Set<string>()
    for (const event of lifeEvents) {
      const def = services.find(s => s.id === event.service)
      const key = JSON.stringify(event)
      if (!def || seen.has(key)) continue
      seen.add(key)
      const answers = demoAnswers(def, erika, event.when ? answerMeeting(event.when) : {})
      await createCase(trx, {
        draftId: crypto.randomUUID(),
        definition: def,
        answers,
        applicantName: applicantNameOf(def, answers) || `${erika.givenName} ${erika.familyName}`,
        applicantEmail: erika.email,
        accountId: demoCitizenId,
        filedByStaffId: null,
        locale: 'de',
      })
    }
    for (const [i, def] of services.entries()) {
      for (let n = 0; n < 2; n++) {
        const base = people[(i + n) % people.length]!
        const person: DemoPerson = {
          ...base,
          accountId: base.email === 'erika.mustermann@example.org' ? demoCitizenId : null,
        }
        const answers = demoAnswers(def, person)
        const created = await createCase(trx, {
          draftId: crypto.randomUUID(),
          definition: def,
          answers,
          applicantName: applicantNameOf(def, answers) || `${person.givenName} ${person.familyName}`,
          applicantEmail: person.email,
          accountId: person.accountId,
          filedByStaffId: null,
          locale: 'de',
        })
        if (person.accountId && n === 0 && i % 3 === 0) {
          await insertCaseEvent(trx, { caseId: created.id, kind: 'message_sent', internal: false, data: {} })
          await deliverToApplicant(
            trx,
            {
              caseId: created.id,
              reference: created.reference,
              accountId: person.accountId,
              applicantEmail: null,
              locale: 'de',
              senderStaffId: null,
              subject: `Eingangsbestätigung ${created.reference}`,
              body: `Guten Tag,\n\nwir haben Ihren Antrag „${def.title.de}“ erhalten und bearbeiten ihn. Sie hören von uns.\n\nMit freundlichen Grüßen\nStadt Dortmund`,
            },
            '',
          )
        }
      }
    }
  })
}
