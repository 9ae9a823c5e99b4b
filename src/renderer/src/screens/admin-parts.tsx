// Words and small pieces the Admin tabs share.
import { Badge } from '@mantine/core'
import { ProjectStage } from '../../../shared/protocol'

export const stageLabel = {
  lead: 'Lead',
  'pre-construction': 'Pre-construction',
  construction: 'Construction',
  warranty: 'Warranty',
  closed: 'Closed',
} as const satisfies Record<ProjectStage, string>

/** In the wire schema's order: from the first contact to the warranty's end. */
export const stages = ProjectStage.options

const stageColor: Record<ProjectStage, string> = {
  lead: 'yellow',
  'pre-construction': 'grape',
  construction: 'blue',
  warranty: 'teal',
  closed: 'gray',
}

export function StageBadge({ stage }: { stage: ProjectStage }) {
  return (
    // The dot variant keeps the text in the body color: readable in light and dark.
    <Badge color={stageColor[stage]} variant="dot">
      {stageLabel[stage]}
    </Badge>
  )
}

export const MB = 1024 * 1024
export const GB = 1024 * MB
