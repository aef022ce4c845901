import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { formatDate, formatDateTime, formatMoney } from '../../../platform/i18n/i18n.js'
import {
  Alert,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
  SelectField,
  TextAreaField,
} from '../../../platform/views/components.js'
import type { Resource } from '../../booking/index.js'
import { clockText } from './controls.js'

export interface ClaimView {
  id: string
  reference: string
  hall: string
  startsAt: Date
  ownerName: string
  feeCents: number
  exemption: string
  statement: string
  registerNumber: string
  memberCount: number | null
}

export interface OfficeValues {
  name: string
  firstDay: string
  lastDay: string
  excluded: string
  closeHall: string
  closeFrom: string
  closeTo: string
  reason: string
}

export type OfficeNotice = 'confirmed' | 'rejected' | 'seasonCreated' | 'closed'

/** The sports office's page: exemption claims to decide, the seasons, and closing a hall on days. */
export function OfficePage({
  ctx,
  claims,
  seasons,
  closures,
  halls,
  values,
  errors,
  notice,
  cancelled,
}: {
  ctx: PageContext
  claims: ClaimView[]
  seasons: { id: string; name: string; firstDay: string; lastDay: string }[]
  closures: { hall: string; firstDay: string; lastDay: string; reason: string }[]
  halls: Resource[]
  values: OfficeValues
  errors: FieldError[]
  notice?: OfficeNotice
  cancelled?: number
}) {
  const { t } = ctx
  const err = (id: string) => errors.find(e => e.fieldId === id)?.message
  const title = t.text('facilities.office.title')
  return (
    <Layout ctx={ctx} title={errors.length ? `${t.text('accounts.errorPrefix')} ${title}` : title} area="backoffice">
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {title}
        </h1>
        {notice ? (
          <Alert kind="success" title={t.text(`facilities.office.notice.${notice}`, { count: cancelled ?? 0 })} />
        ) : (
          ''
        )}
        <h2 class="kern-heading-medium">{t('facilities.office.claims')}</h2>
        {claims.length ? (
          <ul class="kern-list">
            {claims.map(c => (
              <li class="stack">
                <p class="kern-body">
                  <strong safe>{c.ownerName}</strong>
                  {c.memberCount !== null ? ` (${t.text('facilities.office.members', { count: c.memberCount })})` : ''}
                  <br />
                  <span safe>{`${c.hall}, ${formatDateTime(c.startsAt, t.locale)} – ${c.reference}`}</span>
                  <br />
                  {t(`facilities.exemption.${c.exemption}`)}
                  {': '}
                  <span safe>{c.statement || '–'}</span>
                  {c.registerNumber ? <span safe>{` · ${c.registerNumber}`}</span> : ''}
                  <br />
                  {t('facilities.office.fee', { fee: formatMoney(c.feeCents, t.locale) })}
                </p>
                <form method="post" action={`/backoffice/buchung/claims/${c.id}`} class="inline-form">
                  <CsrfField ctx={ctx} />
                  <SubmitButton name="decision" value="confirm" label={t.text('facilities.office.confirm')} />{' '}
                  <SubmitButton
                    name="decision"
                    value="reject"
                    variant="secondary"
                    label={t.text('facilities.office.reject')}
                  />
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p class="kern-body">{t('facilities.office.noClaims')}</p>
        )}
        <h2 class="kern-heading-medium">{t('facilities.office.seasons')}</h2>
        {seasons.length ? (
          <ul class="kern-list">
            {seasons.map(s => (
              <li>
                <a class="kern-link" href={`/backoffice/buchung/seasons/${s.id}`} safe>
                  {s.name}
                </a>{' '}
                <span safe>{`(${formatDate(s.firstDay, t.locale)} – ${formatDate(s.lastDay, t.locale)})`}</span>
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
        <form method="post" action="/backoffice/buchung/seasons" class="stack" novalidate>
          <h3 class="kern-heading-small">{t('facilities.office.newSeason')}</h3>
          <CsrfField ctx={ctx} />
          <TextInput id="name" label={t.text('facilities.office.seasonName')} value={values.name} error={err('name')} />
          <TextInput
            id="firstDay"
            type="date"
            label={t.text('facilities.office.firstDay')}
            value={values.firstDay}
            error={err('firstDay')}
          />
          <TextInput
            id="lastDay"
            type="date"
            label={t.text('facilities.office.lastDay')}
            value={values.lastDay}
            error={err('lastDay')}
          />
          <TextAreaField
            id="excluded"
            label={t.text('facilities.office.excluded')}
            hint={t.text('facilities.office.excludedHint')}
            value={values.excluded}
            error={err('excluded')}
          />
          <SubmitButton label={t.text('facilities.office.createSeason')} />
        </form>
        <h2 class="kern-heading-medium">{t('facilities.office.closures')}</h2>
        {closures.length ? (
          <ul class="kern-list">
            {closures.map(c => (
              <li
                safe
              >{`${c.hall}: ${formatDate(c.firstDay, t.locale)} – ${formatDate(c.lastDay, t.locale)} (${c.reason})`}</li>
            ))}
          </ul>
        ) : (
          ''
        )}
        <form method="post" action="/backoffice/buchung/closures" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <SelectField
            id="closeHall"
            label={t.text('facilities.book.hall')}
            options={halls.map(h => ({ value: h.id, label: h.name[t.locale] }))}
            value={values.closeHall}
            error={err('closeHall')}
          />
          <TextInput
            id="closeFrom"
            type="date"
            label={t.text('facilities.office.firstDay')}
            value={values.closeFrom}
            error={err('closeFrom')}
          />
          <TextInput
            id="closeTo"
            type="date"
            label={t.text('facilities.office.lastDay')}
            value={values.closeTo}
            error={err('closeTo')}
          />
          <TextInput
            id="reason"
            label={t.text('facilities.office.reason')}
            value={values.reason}
            error={err('reason')}
          />
          <SubmitButton label={t.text('facilities.office.close')} variant="secondary" />
        </form>
      </div>
    </Layout>
  )
}

export interface PlanRow {
  id: string
  clubName: string
  memberCount: number | null
  hall: string
  parts: string
  weekday: number
  startMinute: number
  minutes: number
  group: string
  note: string | null
  status: string
  proposed: boolean
  conflicts: string[]
}

/** A season's applications: the computed proposal, conflicts, staff's choice per application, and publishing. */
export function SeasonPlanPage({
  ctx,
  seasonId,
  name,
  rows,
  published,
  errors,
  skipped,
}: {
  ctx: PageContext
  seasonId: string
  name: string
  rows: PlanRow[]
  published: boolean
  errors: FieldError[]
  skipped?: number
}) {
  const { t } = ctx
  const names = new Map(rows.map(r => [r.id, r.clubName]))
  return (
    <Layout ctx={ctx} title={name} area="backoffice">
      <div class="stack">
        <p class="back-link">
          <a class="kern-link" href="/backoffice/buchung">
            {t('facilities.office.title')}
          </a>
        </p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <h1 class="kern-heading-large" safe>
          {name}
        </h1>
        {published ? <Alert kind="success" title={t.text('facilities.plan.published', { count: skipped ?? 0 })} /> : ''}
        <p class="kern-body">{t('facilities.plan.intro')}</p>
        {rows.length ? (
          <form method="post" action={`/backoffice/buchung/seasons/${seasonId}/allocation`} class="stack">
            <CsrfField ctx={ctx} />
            <div class="kern-table-responsive">
              <table class="kern-table">
                <caption class="kern-sr-only" safe>
                  {name}
                </caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th class="kern-table__header" scope="col">
                      {t('facilities.season.club')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('facilities.season.slot')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('facilities.plan.proposal')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('facilities.plan.decision')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {rows.map(r => (
                    <tr class="kern-table__row" id={`application-${r.id}`}>
                      <td class="kern-table__cell">
                        <span safe>{r.clubName}</span>
                        <br />
                        <span class="kern-hint">
                          {t(`facilities.group.${r.group}`)}
                          {r.memberCount !== null
                            ? `, ${t.text('facilities.office.members', { count: r.memberCount })}`
                            : ''}
                        </span>
                        {r.note ? (
                          <>
                            <br />
                            <span class="kern-hint" safe>
                              {r.note}
                            </span>
                          </>
                        ) : (
                          ''
                        )}
                      </td>
                      <td class="kern-table__cell">
                        <span safe>{`${r.hall}${r.parts ? ` (${r.parts})` : ''}`}</span>
                        <br />
                        {t(`facilities.weekday.${r.weekday}`)}{' '}
                        <span safe>{`${clockText(r.startMinute)}–${clockText(r.startMinute + r.minutes)}`}</span>
                        {r.conflicts.length ? (
                          <>
                            <br />
                            <span class="kern-badge kern-badge--warning">
                              <span safe>
                                {t.text('facilities.plan.conflict', {
                                  with: r.conflicts.map(c => names.get(c) ?? '').join(', '),
                                })}
                              </span>
                            </span>
                          </>
                        ) : (
                          ''
                        )}
                      </td>
                      <td class="kern-table__cell">
                        {t(r.proposed ? 'facilities.plan.proposed' : 'facilities.plan.notProposed')}
                      </td>
                      <td class="kern-table__cell">
                        {published ? (
                          t(`facilities.application.${r.status}`)
                        ) : (
                          <div class="kern-form-input">
                            <label class="kern-label kern-sr-only" for={`decision-${r.id}`} safe>
                              {`${t.text('facilities.plan.decision')}: ${r.clubName}`}
                            </label>
                            <div class="kern-form-input__select-wrapper">
                              <select class="kern-form-input__select" id={`decision-${r.id}`} name={`decision-${r.id}`}>
                                {['allocated', 'declined'].map(v => (
                                  <option
                                    value={v}
                                    selected={
                                      r.status === 'applied'
                                        ? r.proposed
                                          ? v === 'allocated'
                                          : v === 'declined'
                                        : r.status === v
                                    }
                                  >
                                    {t(`facilities.application.${v}`)}
                                  </option>
                                ))}
                              </select>
                            </div>
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {published ? '' : <SubmitButton label={t.text('facilities.plan.save')} variant="secondary" />}
          </form>
        ) : (
          <p class="kern-body">{t('facilities.plan.empty')}</p>
        )}
        {!published && rows.some(r => r.status === 'allocated') ? (
          <form method="post" action={`/backoffice/buchung/seasons/${seasonId}/publish`}>
            <CsrfField ctx={ctx} />
            <SubmitButton label={t.text('facilities.plan.publish')} />
          </form>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}
