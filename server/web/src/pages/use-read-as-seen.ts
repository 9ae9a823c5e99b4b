import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import type { z } from 'zod'
import type { MessagePage } from '../../../../src/shared/protocol'
import { api } from '../api'
import { keys } from '../queries'
import { usePortal } from '../session'

/** Marks the page's unread messages read as they come into view; the unread counts follow. */
export function useReadAsSeen(page: z.output<typeof MessagePage> | undefined) {
  const portal = usePortal()
  const client = useQueryClient()
  const seen = useRef(new Set<string>())
  // Messages are marked read as they scroll into view (the help page's rule), in small batches.
  useEffect(() => {
    if (!page || !portal.me) return
    const me = portal.me.user.id
    const unread = new Set(
      page.messages
        .filter(
          (m) =>
            m.authorId !== me && !page.reads.some((r) => r.messageId === m.id && r.userId === me),
        )
        .map((m) => m.id),
    )
    if (!unread.size) return
    let batch: string[] = []
    let timer: number | undefined
    const flush = () => {
      const ids = batch
      batch = []
      if (ids.length)
        void api.markRead(ids).then(() => client.invalidateQueries({ queryKey: keys.threads }))
    }
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const messageId = (entry.target as HTMLElement).dataset.messageId ?? ''
        if (entry.isIntersecting && unread.has(messageId) && !seen.current.has(messageId)) {
          seen.current.add(messageId)
          batch.push(messageId)
        }
      }
      window.clearTimeout(timer)
      timer = window.setTimeout(flush, 300)
    })
    document
      .querySelectorAll<HTMLElement>('[data-message-id]')
      .forEach((el) => observer.observe(el))
    return () => {
      observer.disconnect()
      window.clearTimeout(timer)
      flush()
    }
  }, [page, portal.me, client])
}
