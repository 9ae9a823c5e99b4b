import { schemaResolver, useForm } from '@mantine/form'
import type { z } from 'zod'

/**
 * A form over a shared wire schema: the limits the server checks are checked here in the same
 * words before anything is sent. The browser's own checks (required, type="email") come first.
 */
export function useSchemaForm<S extends z.ZodObject>(schema: S, initialValues: z.input<S>) {
  return useForm<z.input<S>>({
    mode: 'controlled',
    initialValues,
    validate: schemaResolver(schema, { sync: true }),
  })
}
