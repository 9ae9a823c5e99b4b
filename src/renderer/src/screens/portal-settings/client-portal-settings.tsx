// Admin → Company Settings → Client Portal, as the help page names it: whether customers can use
// Messages, in which project stages, with which files, and how the company answers.
import { Alert, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { CompanySettings } from '../../../../shared/protocol'
import { engineQuery } from '../../data/queries'
import { engine, errorMessage } from '../../engine'
import { useConnection } from '../../state/connection'
import { failed, saved } from '../settings-parts'
import { DigestSection } from './digest-section'
import { changedFields, hasBlank, portalSettingsErrors, rebase, type PortalDraft } from './draft'
import { FilesSection } from './files-section'
import { MessagesSection } from './messages-section'
import { ResponseSection } from './response-section'
import { UrgentSection } from './urgent-section'

const settingsQuery = engineQuery('getCompanySettings', {})

export function ClientPortalSettings() {
  const connection = useConnection()
  const loading = useQuery(settingsQuery)
  const { refetch, isError, isFetching } = loading

  // Refused while offline: try again once the connection is back.
  useEffect(() => {
    if (connection.state === 'online' && isError) void refetch()
  }, [connection.state, isError, refetch])

  if (!loading.data) {
    if (loading.error)
      return (
        <Alert color="red" title="Could not load the Client Portal settings" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(loading.error)}</Text>
            <Button
              size="compact-sm"
              variant="light"
              loading={isFetching}
              onClick={() => void refetch()}
            >
              Try again
            </Button>
          </Stack>
        </Alert>
      )
    return <Loader size="sm" aria-label="Loading the Client Portal settings" />
  }
  return <PortalSettingsForm server={loading.data} online={connection.state === 'online'} />
}

function PortalSettingsForm({ server, online }: { server: CompanySettings; online: boolean }) {
  const client = useQueryClient()
  const form = useForm<PortalDraft>({ initialValues: server, validate: portalSettingsErrors })
  // After a save was refused for what the form says, it checks again with every change.
  const [checking, setChecking] = useState(false)
  const { values } = form
  useEffect(() => {
    if (checking) form.validate()
    // `form` is a new object each render; the values are what the check reads.
  }, [checking, values])

  // Another admin saved: take their values for every field not edited here, so the save (which
  // sends only what differs from the server) never undoes their change.
  const base = useRef(server)
  useEffect(() => {
    if (server === base.current) return
    form.setValues(rebase(base.current, form.getValues(), server))
    base.current = server
  }, [server])

  const patch = changedFields(server, values)
  const changes = Object.keys(patch).length
  const dirty = changes > 0 || hasBlank(values)
  const errors = Object.values(form.errors)

  const saving = useMutation({
    mutationFn: (changed: Partial<CompanySettings>) => engine.updateCompanySettings(changed),
    onSuccess: (next, changed) => {
      base.current = next
      form.setValues(next)
      client.setQueryData(settingsQuery.queryKey, next)
      setChecking(false)
      const n = Object.keys(changed).length
      saved(
        `${n} ${n === 1 ? 'setting' : 'settings'} changed. Customers see the change right away.`,
        'Client Portal settings saved',
      )
    },
    onError: (err) => failed('Client Portal settings not saved', err),
  })

  const submit = form.onSubmit(
    () => {
      saving.reset()
      if (changes > 0) saving.mutate(patch)
    },
    () => {
      saving.reset()
      setChecking(true)
    },
  )

  const discard = () => {
    form.setValues(server)
    form.clearErrors()
    setChecking(false)
    saving.reset()
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Client Portal settings">
      <Stack gap="lg">
        {!online && (
          <Alert color="yellow" title="Not connected">
            Company settings are saved on the portal server. You can edit here, but saving waits
            until Portal Inbox is online again.
          </Alert>
        )}
        <MessagesSection form={form} server={server} />
        <FilesSection form={form} server={server} />
        <UrgentSection form={form} server={server} />
        <ResponseSection form={form} server={server} />
        <DigestSection form={form} server={server} />

        <Paper
          withBorder
          p="sm"
          radius="md"
          pos="sticky"
          bottom={0}
          style={{ zIndex: 2 }}
          data-testid="portal-settings-actions"
        >
          <Stack gap="xs">
            {saving.error && (
              <Alert color="red" title="The server did not save the settings" role="alert">
                {errorMessage(saving.error)}
              </Alert>
            )}
            {checking && errors.length > 0 && (
              <Alert color="red" title="Check the highlighted fields" role="alert">
                {errors.join(' ')}
              </Alert>
            )}
            <Group justify="space-between">
              <Text size="sm" c="dimmed" aria-live="polite">
                {dirty
                  ? `${changes} unsaved ${changes === 1 ? 'change' : 'changes'}`
                  : 'All changes saved'}
              </Text>
              <Group gap="xs">
                <Button variant="default" onClick={discard} disabled={!dirty || saving.isPending}>
                  Discard changes
                </Button>
                <Button type="submit" loading={saving.isPending} disabled={!dirty}>
                  Save settings
                </Button>
              </Group>
            </Group>
          </Stack>
        </Paper>
      </Stack>
    </form>
  )
}
