import type { UseFormReturnType } from '@mantine/form'
import type { CompanySettings } from '../../../../shared/protocol'
import type { PortalDraft } from './draft'

/** What each section of the Client Portal form gets: the form, and the server's values for "Now …". */
export interface SectionProps {
  form: UseFormReturnType<PortalDraft>
  server: CompanySettings
}

/** A switch bound to a yes/no field of the form. */
export const switchProps = (form: SectionProps['form'], path: string) =>
  form.getInputProps(path, { type: 'checkbox' })

/** A choice from a list bound to a field: a deselect (null) keeps the value. */
export function selectProps<T extends string>(
  form: SectionProps['form'],
  path: string,
  parse: (value: string) => unknown = (value) => value as T,
) {
  const { value, error } = form.getInputProps(path) as { value: unknown; error?: string }
  return {
    value: String(value),
    error,
    allowDeselect: false,
    onChange: (next: string | null) => next !== null && form.setFieldValue(path, parse(next)),
  }
}

/** A list field (stages, file types, keywords): what is chosen, tidied before the form keeps it. */
export function listProps<T extends string>(
  form: SectionProps['form'],
  path: 'portalOpenStages' | 'allowedFileTypes' | 'urgentKeywords',
  tidy: (chosen: string[]) => T[],
) {
  return {
    value: form.values[path] as string[],
    onChange: (chosen: string[]) => form.setFieldValue(path, tidy(chosen)),
    error: form.errors[path],
  }
}
