import type { Children } from '@kitajs/html'
import type { PageContext } from './page-context.js'
import { CHALLENGE_PATH, POW_FIELD } from '../http/proof-of-work.js'

export interface FieldError {
  fieldId: string
  message: string /** id of the input to focus, when it differs from the field id */
  anchor?: string
}

/** GOV.UK-style error summary: first thing on the page, each entry links to the field. */
export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FieldError[] }) {
  if (errors.length === 0) return ''
  return (
    <div class="kern-alert kern-alert--danger error-summary" role="alert" tabindex="-1" id="error-summary">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
        <h2 class="kern-title">{ctx.t('forms.errorSummary.title')}</h2>
      </div>
      <div class="kern-alert__body">
        <ul class="kern-list">
          {errors.map(e => (
            <li>
              <a class="kern-link" href={`#${e.anchor ?? e.fieldId}`} safe>
                {e.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  )
}

/** `pageHeading`: the alert is what the page says, so its title is the page's h1 (screen readers jump to it). */
export function Alert({
  kind,
  title,
  children,
  pageHeading,
}: {
  kind: 'info' | 'success' | 'warning' | 'danger'
  title: string
  children?: Children
  pageHeading?: boolean
}) {
  // Children are markup built by our own components, already escaped where needed.
  const safeBody = children
  return (
    <div class={`kern-alert kern-alert--${kind}`} role={kind === 'danger' ? 'alert' : 'status'}>
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${kind === 'danger' ? 'danger' : kind}`} aria-hidden="true"></span>
        {pageHeading ? (
          <h1 class="kern-title" safe>
            {title}
          </h1>
        ) : (
          <span class="kern-title" safe>
            {title}
          </span>
        )}
      </div>
      {safeBody ? <div class="kern-alert__body">{safeBody}</div> : ''}
    </div>
  )
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />
}

/**
 * Bot protection of an anonymous form (src/platform/http/proof-of-work.ts): public/altcha.js fetches a challenge,
 * solves it and puts the solution here before the form is sent. Without JavaScript it stays empty, which the server
 * counts under a stricter limit.
 */
export function ProofOfWorkField() {
  return (
    <>
      <input type="hidden" name={POW_FIELD} value="" data-pow-challenge={CHALLENGE_PATH} />
      <script src="/assets/altcha.js" defer></script>
    </>
  )
}

export function SubmitButton({
  label,
  name,
  value,
  variant = 'primary',
}: {
  label: string
  name?: string
  value?: string
  variant?: 'primary' | 'secondary' | 'tertiary'
}) {
  return (
    <button type="submit" class={`kern-btn kern-btn--${variant}`} name={name} value={value}>
      <span class="kern-label" safe>
        {label}
      </span>
    </button>
  )
}

export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <p class="back-link">
      <a class="kern-link" href={href}>
        <span class="kern-icon kern-icon--arrow-back" aria-hidden="true"></span>
        <span safe>{label}</span>
      </a>
    </p>
  )
}

/** A KERN text input with label, hint and error; used by account and back-office forms. */
export function TextInput(props: {
  id: string
  name?: string
  label: string
  value?: string | null
  error?: string
  hint?: string
  type?: string
  autocomplete?: string
  required?: boolean
  inputmode?: string
}) {
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <FieldLabelAndHint id={props.id} label={props.label} hint={props.hint} />
      <FieldErrorText id={props.id} error={props.error} />
      <input
        class={`kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`}
        id={props.id}
        name={props.name ?? props.id}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        aria-describedby={describedByOf(props)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-required={props.required ? 'true' : undefined}
      />
    </div>
  )
}

/** The hint and error lines of a field, referenced by its aria-describedby. */
function describedByOf(props: { id: string; hint?: string; error?: string }): string | undefined {
  return (
    [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') ||
    undefined
  )
}

function FieldLabelAndHint(props: { id: string; label: string; hint?: string; labelHidden?: boolean }) {
  return (
    <>
      <label class={props.labelHidden ? 'kern-label kern-sr-only' : 'kern-label'} for={props.id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </div>
      ) : (
        ''
      )}
    </>
  )
}

/** A field's error line (role=alert), with the id its input's aria-describedby names. */
export function FieldErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="kern-error" id={`${id}-error`} role="alert">
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
      <span class="kern-body" safe>
        {error}
      </span>
    </p>
  ) : (
    ''
  )
}

/** A KERN select with label, hint and error, keeping the chosen value; options are escaped here. */
export function SelectField(props: {
  id: string
  name?: string
  label: string
  options: { value: string; label: string }[]
  value?: string
  error?: string
  hint?: string
  labelHidden?: boolean
}) {
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <FieldLabelAndHint id={props.id} label={props.label} hint={props.hint} labelHidden={props.labelHidden} />
      <FieldErrorText id={props.id} error={props.error} />
      <div class="kern-form-input__select-wrapper">
        <select
          class={`kern-form-input__select${props.error ? ' kern-form-input__select--error' : ''}`}
          id={props.id}
          name={props.name ?? props.id}
          aria-describedby={describedByOf(props)}
          aria-invalid={props.error ? 'true' : undefined}
        >
          {props.options.map(o => (
            <option value={o.value} selected={o.value === props.value} safe>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

/** A KERN text area with label, hint and error, keeping what was typed. */
export function TextAreaField(props: { id: string; label: string; value: string; error?: string; hint?: string }) {
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <FieldLabelAndHint id={props.id} label={props.label} hint={props.hint} />
      <FieldErrorText id={props.id} error={props.error} />
      <textarea
        class={`kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`}
        id={props.id}
        name={props.id}
        rows="3"
        aria-describedby={describedByOf(props)}
        aria-invalid={props.error ? 'true' : undefined}
        safe
      >
        {props.value}
      </textarea>
    </div>
  )
}

export function StatusBadge({ label, outcome }: { label: string; outcome?: string | null }) {
  const kind =
    outcome === 'approved'
      ? 'success'
      : outcome === 'rejected'
        ? 'danger'
        : outcome === 'withdrawn'
          ? 'warning'
          : 'info'
  return (
    <span class={`kern-badge kern-badge--${kind}`} safe>
      {label}
    </span>
  )
}

/** One row of a KERN description list: a label and a text (escaped here) or markup the caller built from escaped parts. */
export function DescriptionItem({ label, text, children }: { label: string; text?: string; children?: Children }) {
  const safeChildren = children
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key" safe>
        {label}
      </dt>
      {text !== undefined ? (
        <dd class="kern-description-list-item__value" safe>
          {text}
        </dd>
      ) : (
        <dd class="kern-description-list-item__value">{safeChildren}</dd>
      )}
    </div>
  )
}

/** One choice of several (KERN radio buttons in a fieldset), with its error above the choices. */
export function RadioGroup(props: {
  id: string
  legend: string
  options: { value: string; label: string }[]
  checked?: string | null
  error?: string
}) {
  return (
    <fieldset class={`kern-fieldset${props.error ? ' kern-fieldset--error' : ''}`} id={props.id}>
      <legend class="kern-label" safe>
        {props.legend}
      </legend>
      {props.error ? (
        <p class="kern-error" id={`${props.id}-error`} role="alert">
          <span class="kern-body" safe>
            {props.error}
          </span>
        </p>
      ) : (
        ''
      )}
      <div class="kern-fieldset__body">
        {props.options.map(option => (
          <div class="kern-form-check">
            <input
              class="kern-form-check__radio"
              type="radio"
              id={`${props.id}-${option.value}`}
              name={props.id}
              value={option.value}
              checked={props.checked === option.value}
            />
            <label class="kern-label" for={`${props.id}-${option.value}`} safe>
              {option.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}
