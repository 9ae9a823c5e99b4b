import { Alert, Tabs } from '@mantine/core'
import { useState } from 'react'
import { useMe } from '../state/connection'
import { ClientPortalSettings } from './portal-settings/client-portal-settings'
import { ProjectSetup } from './admin-projects'
import { PeopleAdmin } from './admin-people/people'
import { ScreenFrame } from './settings-parts'

/** Admin → Company Settings: the Client Portal and project setup. Admins only; the server checks too. */
export function AdminScreen() {
  const { isAdmin } = useMe()
  const [tab, setTab] = useState<string | null>('portal')

  if (!isAdmin)
    return (
      <ScreenFrame title="Admin">
        <Alert color="yellow" title="Only admins can change company settings" role="alert">
          The Client Portal settings, projects and customer contacts are managed by your company’s
          admins. Ask one of them if a customer cannot send messages or a project is missing.
        </Alert>
      </ScreenFrame>
    )

  return (
    <ScreenFrame
      title="Admin"
      description="Company settings for the client portal, and the projects customers message about."
      maw={1100}
    >
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="portal">Client Portal</Tabs.Tab>
          <Tabs.Tab value="projects">Projects</Tabs.Tab>
          <Tabs.Tab value="people">People</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="portal" pt="md">
          <ClientPortalSettings />
        </Tabs.Panel>
        <Tabs.Panel value="projects" pt="md">
          <ProjectSetup />
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <PeopleAdmin />
        </Tabs.Panel>
      </Tabs>
    </ScreenFrame>
  )
}
