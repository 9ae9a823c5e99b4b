import { Alert, Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { engine, errorMessage } from '../engine'
import { saveFile, savedSentence } from '../save-file'

/**
 * "Export PDF…" in the thread's header: the whole conversation as a PDF for the project file,
 * made by the engine from the cache (so offline too) and saved like an attachment. Internal
 * notes are left out unless ticked, every time the dialog opens: a copy that reaches a customer
 * by mistake cannot be taken back.
 */
export function ExportPdfButton({ threadId, subject }: { threadId: string; subject: string }) {
  const [opened, setOpened] = useState(false)
  const [internalNotes, setInternalNotes] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const open = () => {
    setInternalNotes(false)
    setError(null)
    setOpened(true)
  }

  const save = async () => {
    setBusy(true)
    setError(null)
    try {
      const { name, bytes } = await engine.exportThread({
        threadId,
        includeInternalNotes: internalNotes,
      })
      const outcome = await saveFile(name, bytes, 'application/pdf')
      if (!outcome.saved && outcome.why === 'failed') {
        setError(savedSentence(name, outcome))
        return
      }
      setOpened(false)
      notifications.show({
        color: outcome.saved ? 'teal' : 'gray',
        message: savedSentence(name, outcome),
        autoClose: 6000,
      })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Button size="xs" variant="default" onClick={open} data-testid="export-pdf">
        Export PDF…
      </Button>
      <Modal
        opened={opened}
        onClose={() => !busy && setOpened(false)}
        title="Export the conversation as a PDF"
      >
        {/* The inbox's one-key shortcuts (e closes, Enter opens a row…) listen on the whole page:
        keys typed here belong to this dialog, not to the thread behind it. */}
        <Stack gap="sm" onKeyDown={(e) => e.stopPropagation()}>
          <Text size="sm">
            Every message of “{subject}” with its sender, date and time, and the names and sizes of
            attached files (the files themselves are not in the PDF).
          </Text>
          <Checkbox
            checked={internalNotes}
            onChange={(e) => setInternalNotes(e.currentTarget.checked)}
            label="Include internal notes (staff only)"
            description="Leave this off for a copy the customer may see."
          />
          {error && (
            <Alert color="red" title="The PDF was not saved" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setOpened(false)} disabled={busy}>
              Cancel
            </Button>
            <Button onClick={() => void save()} loading={busy} data-autofocus>
              Save PDF
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
