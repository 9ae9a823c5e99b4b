import { Checkbox, Group, Switch } from '@mantine/core'
import { stageLabel, stages } from '../admin-parts'
import { Section } from '../settings-parts'
import { listProps, switchProps, type SectionProps } from './form'

/** Whether customers can use Messages, and in which project stages. */
export function MessagesSection({ form }: SectionProps) {
  return (
    <Section
      title="Messages"
      description="Two-way messages between customers and your team in the client portal."
    >
      <Switch
        label="Enable Messages in the client portal"
        aria-label="Enable Messages in the client portal"
        description="When off, customers can still read their conversations in the portal but cannot send new messages; staff still see and write everything."
        {...switchProps(form, 'messagesEnabled')}
      />
      <Checkbox.Group
        label="Portal open in these project stages"
        description="Customers of a project can use Messages only while it is in one of these stages."
        {...listProps(form, 'portalOpenStages', (chosen) =>
          stages.filter((s) => chosen.includes(s)),
        )}
      >
        <Group gap="lg" mt={6}>
          {stages.map((stage) => (
            <Checkbox key={stage} value={stage} label={stageLabel[stage]} />
          ))}
        </Group>
      </Checkbox.Group>
      <Switch
        label="Staff can add subcontractors to conversations"
        {...switchProps(form, 'subcontractorsAllowed')}
      />
    </Section>
  )
}
