/** A KERN textarea with label, hint and error; the name defaults to the id. */
export function TextArea({
  id,
  name,
  label,
  hint,
  value,
  error,
  rows = 6,
}: {
  id: string
  name?: string
  label: string
  hint?: string
  value?: string
  error?: string
  rows?: number
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id} safe>
        {label}
      </label>
      {hint ? (
        <div class="kern-hint" id={`${id}-hint`} safe>
          {hint}
        </div>
      ) : (
        ''
      )}
      {error ? (
        <p class="kern-error" id={`${id}-error`} role="alert">
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
          <span class="kern-body" safe>
            {error}
          </span>
        </p>
      ) : (
        ''
      )}
      <textarea
        class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={name ?? id}
        rows={String(rows)}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? 'true' : undefined}
        safe
      >
        {value ?? ''}
      </textarea>
    </div>
  )
}
