import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useEffect } from 'react'
import { Link, useParams } from 'react-router'
import { isThreadId } from '../links'

/**
 * Where a staff member's email link lands: it asks the desktop app to open the thread (its
 * portal-inbox:// link; the browser may ask first, and nothing happens where the app is not
 * installed) and offers the same conversation in the browser, for a phone or another computer.
 */
export function OpenInApp() {
  const { id = '' } = useParams()
  const valid = isThreadId(id)
  const deepLink = `portal-inbox://thread/${id.toLowerCase()}`
  useEffect(() => {
    if (!valid) return
    // Asked in the same task that rendered the page, Chromium holds the page's later requests
    // (the browser-reading link then never signs in): ask in a task of its own.
    const timer = window.setTimeout(() => {
      window.location.href = deepLink
    }, 0)
    return () => window.clearTimeout(timer)
  }, [valid, deepLink])
  if (!valid)
    return (
      <Alert color="red" role="alert" maw={520} mx="auto" mt="xl">
        This link is not complete. Open the conversation from the email again, or find it in your
        inbox.
      </Alert>
    )
  return (
    <Paper maw={520} mx="auto" mt="xl" p="lg" withBorder>
      <Stack>
        <Title order={1} size="h2">
          Opening the conversation in Portal Inbox
        </Title>
        <Text>
          If the Portal Inbox app is installed on this computer, it opens the conversation now (your
          browser may ask first).
        </Text>
        <Group>
          <Button component="a" href={deepLink}>
            Open in Portal Inbox
          </Button>
          <Button component={Link} to={`/threads/${id}`} variant="default">
            Read it in the browser
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          On a phone or a computer without the app, read it in the browser: sign in with your work
          email.
        </Text>
      </Stack>
    </Paper>
  )
}
