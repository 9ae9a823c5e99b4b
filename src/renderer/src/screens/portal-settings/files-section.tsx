import { MultiSelect, NumberInput, SimpleGrid } from '@mantine/core'
import { formatBytes, knownFileTypeKeys, knownFileTypes } from '../../../../shared/files'
import { GB, MB } from '../admin-parts'
import { Section } from '../settings-parts'
import type { NumberField } from './draft'
import type { SectionProps } from './form'

const fileTypeOptions = knownFileTypeKeys.map((key) => ({
  value: key,
  label: `${key.toUpperCase()} (${knownFileTypes[key].label})`,
}))

const round = (n: number) => Math.round(n * 10) / 10

/** File and message limits, in the units a person thinks in (MB, GB); the form keeps bytes. */
export function FilesSection({ form, server }: SectionProps) {
  const amount = (field: NumberField, unit = 1) => {
    const value = form.values[field]
    return {
      value: value === '' ? '' : round(value / unit),
      // A field being retyped is blank, not zero: the form asks for a number before saving.
      onChange: (next: number | string) =>
        form.setFieldValue(
          field,
          typeof next === 'number' && Number.isFinite(next) ? Math.round(next * unit) : '',
        ),
      error: form.errors[field],
    }
  }
  return (
    <Section
      title="Files"
      description="Limits apply to customers and staff alike; the portal checks a file before it is uploaded."
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          label="Largest file (MB)"
          description={`Now ${formatBytes(server.maxFileBytes)}`}
          {...amount('maxFileBytes', MB)}
          min={0.1}
          max={1024}
          decimalScale={1}
        />
        <NumberInput
          label="Files per message"
          {...amount('maxFilesPerMessage')}
          min={1}
          max={50}
          allowDecimal={false}
        />
        <NumberInput
          label="Largest message, all files together (MB)"
          description={`Now ${formatBytes(server.maxMessageBytes)}`}
          {...amount('maxMessageBytes', MB)}
          min={0.1}
          max={4096}
          decimalScale={1}
        />
        <NumberInput
          label="Storage per project (GB)"
          description={`Now ${formatBytes(server.projectQuotaBytes)}`}
          {...amount('projectQuotaBytes', GB)}
          min={0.1}
          max={1024}
          decimalScale={1}
        />
        <NumberInput
          label="Longest message text (characters)"
          {...amount('maxBodyChars')}
          min={100}
          max={100_000}
          step={1000}
          allowDecimal={false}
          thousandSeparator=","
        />
      </SimpleGrid>
      <MultiSelect
        label="Allowed file types"
        description="Files of other types are refused, whatever their name says."
        data={fileTypeOptions}
        value={form.values.allowedFileTypes}
        onChange={(value) =>
          form.setFieldValue(
            'allowedFileTypes',
            knownFileTypeKeys.filter((k) => value.includes(k)),
          )
        }
        searchable
        hidePickedOptions
        error={form.errors.allowedFileTypes}
      />
    </Section>
  )
}
