import { TagsInput } from '@mantine/core'
import { Section } from '../settings-parts'
import { listProps, type SectionProps } from './form'

export function UrgentSection({ form }: SectionProps) {
  return (
    <Section
      title="Urgent messages"
      description="A customer message containing one of these words or phrases is marked urgent and always notifies staff."
    >
      <TagsInput
        label="Urgent keywords"
        description="Press Enter or type a comma after each keyword."
        {...listProps(form, 'urgentKeywords', (chosen) => chosen.map((k) => k.trim()))}
        splitChars={[',']}
        clearable
        acceptValueOnBlur
      />
    </Section>
  )
}
