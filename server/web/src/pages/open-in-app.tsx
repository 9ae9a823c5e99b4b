import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { Link, useParams, useSearchParams } from 'react-router'
import { destinationPath, isThreadId, threadIdIn } from '../links'

/**
 * Where a staff member's email link lands: one click opens the thread in the desktop app (its
 * portal-inbox:// link; the browser may ask first), the other reads it in the browser, for a
 * phone or another computer. The app is not asked for unprompted: a navigation to a scheme no
 * app handles stays pending in Chromium and holds the page, so "Read it in the browser" did
 * nothing until a reload.
 */
export function OpenInApp() {
  const { id = '' } = useParams()
  const [params] = useSearchParams()
  const valid = isThreadId(id)
  // A file link keeps its file in the browser, where the thread page downloads it.
  const fileId = threadIdIn(params.get('file'))
  const inBrowser = destinationPath({ threadId: id, ...(fileId && { fileId }) })
  const deepLink = `portal-inbox://thread/${id.toLowerCase()}`
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
          If the Portal Inbox app is installed on this computer, open the conversation there (your
          browser may ask first).
        </Text>
        <Group>
          <Button component="a" href={deepLink}>
            Open in Portal Inbox
          </Button>
          <Button component={Link} to={inBrowser} variant="default">
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
