import type { FieldType } from './field-type.js'
import { OptionList } from './choice-view.js'
import { selectField } from './select.js'

/** One of the `options`, as radio buttons. */
export const radioField: FieldType<string> = {
  ...selectField,
  // The first button: the group has no element of its own to link to.
  anchor: field => (field.options ? `${field.id}-${field.options[0]!.value}` : field.id),
  Input: props => <OptionList {...props} multiple={false} />,
}
