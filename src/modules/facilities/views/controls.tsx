import type { Translate } from '../../../platform/i18n/i18n.js'
import { FieldErrorText } from '../../../platform/views/components.js'

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
/** "18:30" from minutes after midnight. */
export const clockText = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

/** "2 Std." / "1,5 h": a length in hours in the reader's language. */
export const hoursText = (minutes: number, t: Translate) =>
  t.text('facilities.hours', { hours: new Intl.NumberFormat(t.locale).format(minutes / 60) })
