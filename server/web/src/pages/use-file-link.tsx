import { Alert, Anchor } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import type { Attachment } from '../../../../src/shared/protocol'
import { downloadUrl } from '../api'
import { threadIdIn } from '../links'

type FileLink = { found: Attachment } | { missing: true } | null

/**
 * A file link from an email (`/threads/<id>?file=<attachmentId>`): once the conversation is on
 * the page, the file downloads, once; the address then loses `?file=` so a reload does not
 * download it again. A signed-out visitor signs in first on this same address, so the file
 * comes after the sign-in.
 */
export function useFileLink(
  page: { messages: { attachments: Attachment[] }[] } | undefined,
): FileLink {
  const [params, setParams] = useSearchParams()
  const fileId = threadIdIn(params.get('file'))
  const [link, setLink] = useState<FileLink>(null)
  const handled = useRef<string | null>(null)
  useEffect(() => {
    if (!page || !fileId || handled.current === fileId) return
    handled.current = fileId
    const found = page.messages.flatMap((m) => m.attachments).find((a) => a.id === fileId)
    setLink(found ? { found } : { missing: true })
    if (found) download(found)
    const next = new URLSearchParams(params)
    next.delete('file')
    setParams(next, { replace: true, preventScrollReset: true })
  }, [page, fileId, params, setParams])
  return link
}

function download(file: Attachment) {
  const a = document.createElement('a')
  a.href = downloadUrl(file.id)
  a.download = file.name
  document.body.append(a)
  a.click()
  a.remove()
}

/** What became of the file the link asked for, and the way to it again. */
export function FileLinkNote({ link }: { link: FileLink }) {
  if (!link) return null
  if ('missing' in link)
    return (
      <Alert color="yellow" role="status">
        The file from your email is not in this conversation as you can see it. The files that are
        here are shown with their messages below; if you need that one, ask in a reply.
      </Alert>
    )
  return (
    <Alert color="blue" role="status">
      Downloading “{link.found.name}”.{' '}
      <Anchor href={downloadUrl(link.found.id)} download={link.found.name}>
        Download it again
      </Anchor>
    </Alert>
  )
}
