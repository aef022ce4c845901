import { formText } from '../../../platform/http/form-input.js'
import { isFileAnswer, type FileAnswer } from '../forms.answers.js'
import type { FieldType } from './field-type.js'
import { asText, idAnchor } from './field-type.js'
import { ErrorText, inputClassOf, LabelText, tx } from './field-view.js'

const DEFAULT_ACCEPT = ['application/pdf', 'image/jpeg', 'image/png']

/**
 * An upload (PDF, JPEG, PNG; `accept`, `maxSizeMb`). The file itself arrives apart from the form's text and is
 * checked and stored by the page (saveFormPage); reading the form only keeps or removes the earlier upload.
 */
export const fileField: FieldType<FileAnswer> = {
  read: (field, raw, previous) =>
    previous !== undefined && formText(raw, `${field.id}.remove`) !== 'yes' ? (previous as FileAnswer) : undefined,
  requiredKey: () => 'forms.error.fileRequired',
  validate: (_field, value) => (isFileAnswer(value) ? null : { key: 'forms.error.fileRequired' }),
  anchor: idAnchor,
  format: (_field, value) =>
    isFileAnswer(value) ? `${value.filename} (${Math.max(1, Math.round(value.sizeBytes / 1024))} KB)` : asText(value),
  Input: ({ field, value, error, t }) => {
    const id = field.id
    const existing = isFileAnswer(value) ? value : null
    const accept = field.accept ?? DEFAULT_ACCEPT
    return (
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={id}>
          <LabelText field={field} t={t} />
        </label>
        <div class="kern-hint" id={`${id}-hint`}>
          {field.hint ? <span safe>{`${tx(field.hint, t.locale)} `}</span> : ''}
          <span>
            {t('forms.fileLimits', {
              types: accept.map(m => m.split('/')[1]!.toUpperCase()).join(', '),
              size: field.maxSizeMb ?? 10,
            })}
          </span>
        </div>
        <ErrorText id={id} error={error} />
        {existing ? (
          <>
            <p class="kern-body">{t('forms.fileUploaded', { name: existing.filename })}</p>
            <div class="kern-form-check">
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={`${id}.remove`}
                name={`${id}.remove`}
                value="yes"
              />
              <label class="kern-label" for={`${id}.remove`}>
                {t('forms.fileRemove')}
              </label>
            </div>
          </>
        ) : (
          ''
        )}
        <input
          class={inputClassOf(error)}
          id={id}
          name={id}
          type="file"
          accept={accept.join(',')}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
    )
  },
  example: () => null,
}
