import { useForm } from '@mantine/form'
import type { z } from 'zod'
import { schemaWords, type FieldWords } from '../../../src/ui/schema-words'

/**
 * A form over a shared wire schema: the limits the server checks are checked here before anything
 * is sent, in the form's words for each field (the schema's are written for API callers: "Invalid
 * email address"). The browser's own checks (required, type="email") come first.
 */
export function useSchemaForm<S extends z.ZodObject>(
  schema: S,
  initialValues: z.input<S>,
  words: FieldWords<z.input<S>> = {},
) {
  return useForm<z.input<S>>({
    mode: 'controlled',
    initialValues,
    validate: schemaWords(schema, words),
  })
}

/** What a homeowner is told when the address they typed is not one mail can reach. */
export const EMAIL_WORDS = 'Enter your email address in full, like name@example.com.'
