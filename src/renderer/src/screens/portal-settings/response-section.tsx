import { Chip, Group, Input, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core'
import { TimeInput } from '@mantine/dates'
import { useId } from 'react'
import { CompanySettings } from '../../../../shared/protocol'
import { Section } from '../settings-parts'
import { selectProps, switchProps, type SectionProps } from './form'
import { weekdays } from './weekdays'

const contactFields = [
  {
    field: 'contactPhone',
    label: 'Office phone',
    description: 'Wherever the portal and its emails say “please call us”, they give this number.',
    placeholder: '(555) 010-4477',
  },
  {
    field: 'officeHours',
    label: 'Office hours',
    description: 'Said beside the phone number, in your words.',
    placeholder: 'Mon–Fri 8am–5pm',
  },
] as const

const autoReplyWhen: { value: CompanySettings['autoReply']['when']; label: string }[] = [
  { value: 'always', label: 'To every customer message' },
  { value: 'outside-business-hours', label: 'Outside business hours' },
  { value: 'first-message', label: 'To the first message of a conversation' },
]

/** What customers are told to expect, the office's hours and the automatic reply. */
export function ResponseSection({ form }: SectionProps) {
  const { autoReply } = form.values
  return (
    <Section
      title="Response time and auto-reply"
      description="Set expectations for customers: the portal shows the response time beside the message form."
    >
      <TextInput
        label="Expected response time"
        description="Shown to customers, e.g. “We reply within one business day.”"
        {...form.getInputProps('expectedResponseTime')}
        maxLength={CompanySettings.shape.expectedResponseTime.maxLength ?? undefined}
      />
      <Group grow align="flex-start">
        {contactFields.map(({ field, ...words }) => (
          <TextInput
            key={field}
            {...words}
            {...form.getInputProps(field)}
            maxLength={CompanySettings.shape[field].maxLength ?? undefined}
          />
        ))}
      </Group>
      <BusinessHours form={form} />
      <Switch label="Send an automatic reply" {...switchProps(form, 'autoReply.enabled')} />
      <Select
        label="Send the auto-reply"
        data={autoReplyWhen}
        {...selectProps(form, 'autoReply.when')}
        disabled={!autoReply.enabled}
      />
      <Textarea
        label="Auto-reply text"
        {...form.getInputProps('autoReply.text')}
        autosize
        minRows={3}
        maxRows={8}
        disabled={!autoReply.enabled}
        description={`${autoReply.text.length.toLocaleString()} of 2,000 characters`}
      />
    </Section>
  )
}

function BusinessHours({ form }: Pick<SectionProps, 'form'>) {
  const daysLabel = useId()
  const { days, timezone } = form.values.businessHours
  return (
    <Stack gap="xs">
      <Group align="flex-start">
        <Select
          label="Business hours time zone"
          data={timeZoneOptions(timezone)}
          {...selectProps(form, 'businessHours.timezone')}
          searchable
          w={260}
          comboboxProps={{ withinPortal: true }}
        />
        <TimeInput label="Open from" {...form.getInputProps('businessHours.start')} w={130} />
        <TimeInput label="Until" {...form.getInputProps('businessHours.end')} w={130} />
      </Group>
      <Input.Wrapper
        label="Business days"
        labelElement="div"
        id={daysLabel}
        error={form.errors['businessHours.days']}
      >
        <Chip.Group
          multiple
          value={days.map(String)}
          onChange={(next) =>
            form.setFieldValue(
              'businessHours.days',
              next.map(Number).sort((a, b) => a - b),
            )
          }
        >
          <Group gap={6} mt={4} role="group" aria-labelledby={`${daysLabel}-label`}>
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <Chip key={d} value={String(d)} size="sm">
                {weekdays[d]!.slice(0, 3)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Input.Wrapper>
    </Stack>
  )
}

function timeZoneOptions(current: string): string[] {
  let zones: string[] = []
  try {
    zones = Intl.supportedValuesOf('timeZone')
  } catch {
    /* an old engine: the current zone alone */
  }
  const all = new Set(['UTC', ...zones])
  all.add(current)
  return [...all]
}
