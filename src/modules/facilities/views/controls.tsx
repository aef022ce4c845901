import type { Translate } from '../../../platform/i18n/i18n.js'

/** A KERN select with label and error, keeping the chosen value. */
export function Select(props: {
  id: string
  label: string
  options: { value: string; label: string }[]
  value: string
  error?: string
  hint?: string
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </div>
      ) : (
        ''
      )}
      <FieldErrorText id={props.id} error={props.error} />
      <div class="kern-form-input__select-wrapper">
        <select
          class="kern-form-input__select"
          id={props.id}
          name={props.id}
          aria-describedby={describedBy || undefined}
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

/** Several choices at once (the parts of a hall), in a fieldset whose id the error summary links to. */
export function Checkboxes(props: {
  id: string
  legend: string
  options: { value: string; label: string }[]
  checked: readonly string[]
  error?: string
  hint?: string
}) {
  return (
    <fieldset class={`kern-fieldset${props.error ? ' kern-fieldset--error' : ''}`} id={props.id}>
      <legend class="kern-label" safe>
        {props.legend}
      </legend>
      {props.hint ? (
        <div class="kern-hint" safe>
          {props.hint}
        </div>
      ) : (
        ''
      )}
      <FieldErrorText id={props.id} error={props.error} />
      <div class="kern-fieldset__body">
        {props.options.map(o => (
          <div class="kern-form-check">
            <input
              class="kern-form-check__checkbox"
              type="checkbox"
              id={`${props.id}-${o.value}`}
              name={props.id}
              value={o.value}
              checked={props.checked.includes(o.value)}
            />
            <label class="kern-label" for={`${props.id}-${o.value}`} safe>
              {o.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}

export function TextArea(props: { id: string; label: string; value: string; error?: string; hint?: string }) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </div>
      ) : (
        ''
      )}
      <FieldErrorText id={props.id} error={props.error} />
      <textarea
        class="kern-form-input__input"
        id={props.id}
        name={props.id}
        rows="3"
        aria-describedby={describedBy || undefined}
        aria-invalid={props.error ? 'true' : undefined}
        safe
      >
        {props.value}
      </textarea>
    </div>
  )
}

function FieldErrorText({ id, error }: { id: string; error?: string }) {
  if (!error) return ''
  return (
    <p class="kern-error" id={`${id}-error`} role="alert">
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
      <span class="kern-body" safe>
        {error}
      </span>
    </p>
  )
}

/** "18:30" from minutes after midnight. */
export const clockText = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

/** "2 Std." / "1,5 h": a length in hours in the reader's language. */
export const hoursText = (minutes: number, t: Translate) =>
  t.text('facilities.hours', { hours: new Intl.NumberFormat(t.locale).format(minutes / 60) })
