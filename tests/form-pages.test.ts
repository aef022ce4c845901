import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, samplePdf, type TestPlatform } from './support/test-platform.js'
import { pageForm } from './support/autofill.js'
import { findOwnDraft, startDraft, type Draft } from '../src/modules/applications/applications.drafts.js'
import { pageOf, saveFormPage, type ReturnTo } from '../src/modules/applications/applications.pages.js'
import type { ServiceDefinition } from '../src/modules/catalogue/index.js'
import type { FormInput } from '../src/platform/http/form-input.js'
import type { Session } from '../src/platform/auth/sessions.js'
import { translator } from '../src/platform/i18n/i18n.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const session: Session = { idHash: 'form-pages-test', csrfToken: 'x', account: null, staff: null }
const t = translator('en')
const db = () => platform.database.db
const service = (id: string) => platform.app.services.get(id)

async function newDraft(definition: ServiceDefinition): Promise<Draft> {
  return findOwnDraft(db(), await startDraft(db(), definition, session, false), session)
}

function formOf(values: Record<string, string | string[]>, files: FormInput['files'] = []): FormInput {
  return { values, files, tooLarge: [] }
}

async function send(
  draft: Draft,
  definition: ServiceDefinition,
  pageId: string,
  form: FormInput,
  returnTo: ReturnTo = undefined,
) {
  const scanner = platform.app.virusScanner
  return saveFormPage(db(), { draft, definition, pageId, form, returnTo, accountId: undefined, t, scanner })
}

/** Answers every page before `pageId` validly, as a person clicking through would. */
async function answerUpTo(definition: ServiceDefinition, pageId: string, overrides: Record<string, string> = {}) {
  let draft = await newDraft(definition)
  let next = definition.form.pages[0]!
  while (next.id !== pageId) {
    const { form } = pageForm(next, draft.answers, overrides)
    const outcome = await send(draft, definition, next.id, formOf(form))
    assert.ok(outcome.ok, `page ${next.id} is answered`)
    draft = await findOwnDraft(db(), draft.id, session)
    next = pageOf(definition, draft.answers, /pages\/([^?]+)/.exec(outcome.redirect)![1]!).page
  }
  return draft
}

describe('saving a form page', () => {
  it('stores valid answers and leads to the next page', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await newDraft(definition)
    const keeper = definition.form.pages[0]!
    const { form, answers } = pageForm(keeper, draft.answers)
    const outcome = await send(draft, definition, keeper.id, formOf(form))
    assert.deepEqual(outcome, { ok: true, redirect: `/applications/${draft.id}/pages/dog` })
    const stored = await findOwnDraft(db(), draft.id, session)
    assert.equal(stored.answers.givenName, answers.givenName)
    assert.deepEqual(stored.answers.address, answers.address)
  })

  it('returns field errors as values, each linking to its field, and keeps everything typed', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await newDraft(definition)
    const keeper = definition.form.pages[0]!
    const { form } = pageForm(keeper, draft.answers, {
      givenName: 'Ada"<b>',
      familyName: '',
      email: 'not-an-address',
      'address.postalCode': '4413',
    })
    const outcome = await send(draft, definition, keeper.id, formOf(form))
    assert.equal(outcome.ok, false)
    if (outcome.ok) return
    assert.equal(outcome.status, 400)
    assert.deepEqual(
      outcome.errors.map(e => e.fieldId),
      ['familyName', 'email'],
    )
    assert.equal(outcome.errors[0]!.anchor, 'familyName')
    assert.match(outcome.errors[0]!.message, /Family name/)
    assert.equal(outcome.answers.givenName, 'Ada"<b>', 'what was typed comes back as typed')
    assert.equal(outcome.answers.email, 'not-an-address')
    assert.equal(outcome.at.page.id, 'keeper')
    assert.equal(outcome.at.index, 0)
    // The page is saved even with errors, so nothing typed is lost when the person leaves.
    assert.equal((await findOwnDraft(db(), draft.id, session)).answers.givenName, 'Ada"<b>')
  })

  it('says where an address is wrong by its part', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await newDraft(definition)
    const keeper = definition.form.pages[0]!
    const { form } = pageForm(keeper, draft.answers)
    const outcome = await send(draft, definition, keeper.id, formOf({ ...form, 'address.postalCode': '4413' }))
    assert.equal(outcome.ok, false)
    if (outcome.ok) return
    assert.deepEqual(
      outcome.errors.map(e => e.anchor),
      ['address.postalCode'],
    )
  })

  it('shows a follow-up question that just appeared without calling it an error', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await answerUpTo(definition, 'taxAndPayment')
    const page = pageOf(definition, draft.answers, 'taxAndPayment').page
    const shownBefore = page.fields.filter(f => !f.showIf).map(f => f.id)
    const { form } = pageForm(page, draft.answers, { paymentMethod: 'sepa' })
    delete form.iban
    delete form.accountHolder
    delete form.sepaMandate
    const outcome = await send(draft, definition, 'taxAndPayment', formOf({ ...form, _shown: shownBefore.join(',') }))
    assert.equal(outcome.ok, false)
    if (outcome.ok) return
    assert.equal(outcome.status, 200)
    assert.equal(outcome.revealed, true)
    assert.deepEqual(outcome.errors, [])
  })

  it('follows the answers to the page they show, and refuses a page they hide', async () => {
    const definition = service('wohngeld-antrag')
    for (const [tenure, nextPage, hiddenPage] of [
      ['rent', 'rent', 'ownerCosts'],
      ['owner', 'ownerCosts', 'rent'],
    ] as const) {
      const draft = await answerUpTo(definition, 'household')
      const household = pageOf(definition, draft.answers, 'household').page
      const { form } = pageForm(household, draft.answers, { tenure })
      const outcome = await send(draft, definition, 'household', formOf(form))
      assert.deepEqual(outcome, { ok: true, redirect: `/applications/${draft.id}/pages/${nextPage}` })
      const saved = await findOwnDraft(db(), draft.id, session)
      assert.throws(() => pageOf(definition, saved.answers, hiddenPage), { statusCode: 404 })
      await assert.rejects(send(saved, definition, hiddenPage, formOf({})), { statusCode: 404 })
    }
  })

  it('saves and leaves on "save", and goes back to the check page when entered from there', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await newDraft(definition)
    const keeper = definition.form.pages[0]!
    const { form } = pageForm(keeper, draft.answers)
    assert.deepEqual(await send(draft, definition, keeper.id, formOf({ ...form, action: 'save' })), {
      ok: true,
      redirect: `/applications/${draft.id}/saved`,
    })
    const fromCheck = await send(draft, definition, keeper.id, formOf(form), 'check')
    assert.ok(fromCheck.ok)
    // Later pages are still unanswered: the first of them is next, still on the way back to the check page.
    assert.equal(fromCheck.redirect, `/applications/${draft.id}/pages/dog?return=check`)
  })

  it('stores an uploaded file with the draft and says at the field when one is too large', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await answerUpTo(definition, 'dog')
    const dog = pageOf(definition, draft.answers, 'dog').page
    const { form } = pageForm(dog, draft.answers, { dangerousDog: 'section3' })
    const stored = await send(
      draft,
      definition,
      'dog',
      formOf(form, [{ fieldName: 'dangerousDogPermit', filename: 'permit.pdf', content: samplePdf }]),
    )
    assert.ok(stored.ok)
    const saved = await findOwnDraft(db(), draft.id, session)
    assert.equal((saved.answers.dangerousDogPermit as { filename: string }).filename, 'permit.pdf')

    const cut = await send(saved, definition, 'dog', {
      values: { ...form, 'dangerousDogPermit.remove': 'yes' },
      files: [],
      tooLarge: [{ fieldName: 'dangerousDogPermit', filename: 'huge.pdf' }],
    })
    assert.equal(cut.ok, false)
    if (cut.ok) return
    assert.equal(cut.status, 413)
    assert.equal(cut.errors[0]?.fieldId, 'dangerousDogPermit')
    assert.equal(cut.answers.dogName, form.dogName, 'everything typed is kept')
  })

  it('sends a page of a submitted draft to its confirmation, changing nothing', async () => {
    const definition = service('hundesteuer-anmeldung')
    const draft = await newDraft(definition)
    const submitted: Draft = { ...draft, caseId: '00000000-0000-4000-8000-000000000000' }
    const outcome = await send(submitted, definition, 'keeper', formOf({ givenName: 'Changed' }))
    assert.deepEqual(outcome, { ok: true, redirect: `/applications/${draft.id}/confirmation` })
    assert.equal((await findOwnDraft(db(), draft.id, session)).answers.givenName, undefined)
  })
})
