import { Anchor, Text } from '@mantine/core'

/**
 * A message body as text, for the staff inbox and the customer portal alike: line breaks kept,
 * web addresses turned into links that open outside the page (in Electron the window-open handler
 * sends them through the shell's openExternal guard). Nothing in a message is ever interpreted as
 * HTML.
 */
export function MessageText({ body }: { body: string }) {
  const parts = body.split(/(https?:\/\/[^\s<>"']+)/g)
  return (
    <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <Anchor key={i} href={part} target="_blank" rel="noopener noreferrer nofollow">
            {part}
          </Anchor>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </Text>
  )
}
