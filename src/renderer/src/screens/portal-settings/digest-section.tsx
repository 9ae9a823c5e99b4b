import { Group, Select } from '@mantine/core'
import type { CompanySettings } from '../../../../shared/protocol'
import { Section } from '../settings-parts'
import { selectProps, type SectionProps } from './form'
import { weekdays } from './weekdays'

const frequencies: { value: CompanySettings['digest']['frequency']; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
]

const hours = Array.from({ length: 24 }, (_, h) => ({
  value: String(h),
  label: `${String(h).padStart(2, '0')}:00`,
}))

export function DigestSection({ form }: SectionProps) {
  const { digest, businessHours } = form.values
  return (
    <Section
      title="Staff digest"
      description="An email summary of portal activity for staff who have the digest turned on."
    >
      <Group align="flex-start">
        <Select
          label="How often"
          data={frequencies}
          {...selectProps(form, 'digest.frequency')}
          w={160}
        />
        <Select
          label="On"
          data={weekdays.map((label, i) => ({ value: String(i), label }))}
          {...selectProps(form, 'digest.weekday', Number)}
          disabled={digest.frequency !== 'weekly'}
          w={160}
        />
        <Select
          label="At"
          description={`In ${businessHours.timezone}`}
          data={hours}
          {...selectProps(form, 'digest.hour', Number)}
          disabled={digest.frequency === 'off'}
          w={120}
        />
      </Group>
    </Section>
  )
}
