import { MultiSelect, NumberInput, SimpleGrid, type NumberInputProps } from '@mantine/core'
import { formatBytes, knownFileTypeKeys, knownFileTypes } from '../../../../shared/files'
import { CompanySettings } from '../../../../shared/protocol'
import { GB, MB } from '../admin-parts'
import { Section } from '../settings-parts'
import type { NumberField } from './draft'
import { listProps, type SectionProps } from './form'

const fileTypeOptions = knownFileTypeKeys.map((key) => ({
  value: key,
  label: `${key.toUpperCase()} (${knownFileTypes[key].label})`,
}))

const round = (n: number) => Math.round(n * 10) / 10

type Limits = Pick<
  NumberInputProps,
  'min' | 'max' | 'decimalScale' | 'allowDecimal' | 'step' | 'thousandSeparator'
>

/** Each limit's field, in the unit shown (bytes shown in MB or GB also say what they are now). */
const amounts: ({
  field: NumberField
  label: string
  unit?: number
  now?: true
} & Limits)[] = [
  {
    field: 'maxFileBytes',
    label: 'Largest file (MB)',
    unit: MB,
    now: true,
    ...tenths('maxFileBytes', MB),
  },
  { field: 'maxFilesPerMessage', label: 'Files per message', ...whole('maxFilesPerMessage') },
  {
    field: 'maxMessageBytes',
    label: 'Largest message, all files together (MB)',
    unit: MB,
    now: true,
    ...tenths('maxMessageBytes', MB),
  },
  {
    field: 'projectQuotaBytes',
    label: 'Storage per project (GB)',
    unit: GB,
    now: true,
    ...tenths('projectQuotaBytes', GB),
  },
  {
    field: 'maxBodyChars',
    label: 'Longest message text (characters)',
    ...whole('maxBodyChars'),
    step: 1000,
    thousandSeparator: ',',
  },
]

// The largest values are the wire schema's; a size in MB or GB is typed to one decimal, so its
// smallest is a tenth of the unit.
function tenths(field: NumberField, unit: number): Limits {
  return { min: 0.1, max: (CompanySettings.shape[field].maxValue ?? 0) / unit, decimalScale: 1 }
}
function whole(field: NumberField): Limits {
  const { minValue, maxValue } = CompanySettings.shape[field]
  return { min: minValue ?? 0, max: maxValue ?? 0, allowDecimal: false }
}

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
        {amounts.map(({ field, label, unit = 1, now, ...limits }) => (
          <NumberInput
            key={field}
            label={label}
            description={now ? `Now ${formatBytes(server[field])}` : undefined}
            {...amount(field, unit)}
            {...limits}
          />
        ))}
      </SimpleGrid>
      <MultiSelect
        label="Allowed file types"
        description="Files of other types are refused, whatever their name says."
        data={fileTypeOptions}
        {...listProps(form, 'allowedFileTypes', (chosen) =>
          knownFileTypeKeys.filter((k) => chosen.includes(k)),
        )}
        searchable
        hidePickedOptions
      />
    </Section>
  )
}
