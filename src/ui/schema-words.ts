// Forms check what a person typed with the wire schemas the server checks with, so a limit is
// written once. The schemas' messages are written for API callers ("Too small: expected string
// to have >=1 characters"); a form says what to do next in its own words, so each form names its
// words per field here, and a field it has none for keeps the schema's.
import { schemaResolver, type FormErrors } from '@mantine/form'

export type FieldWords<V> = Record<string, string | ((values: V) => string)>

/**
 * A @mantine/form `validate` over a schema: every field the schema refuses gets the form's words
 * for it. `shape` turns the form's values into what the schema reads (trimmed, without fields of
 * the form's own such as "new password again").
 */
export function schemaWords<V>(
  schema: Parameters<typeof schemaResolver>[0],
  words: FieldWords<V>,
  shape: (values: V) => unknown = (values) => values,
): (values: V) => FormErrors {
  const check = schemaResolver(schema, { sync: true })
  return (values) => {
    const errors: FormErrors = {}
    for (const [path, message] of Object.entries(check(shape(values)))) {
      const field = path.split('.')[0]!
      const said = words[field]
      errors[field] ??=
        said === undefined ? message : typeof said === 'string' ? said : said(values)
    }
    return errors
  }
}

/** Words for a text field: one when it is left blank, another when it is there but refused. */
export function blankOr<V>(field: keyof V & string, blank: string, refused: string) {
  return (values: V) => (String(values[field]).trim() ? refused : blank)
}

/** The first thing to fix, in the order the form shows its fields. */
export function firstError(errors: FormErrors, order: readonly string[]): string | null {
  for (const field of order) if (errors[field]) return String(errors[field])
  return null
}
