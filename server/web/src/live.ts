import type { QueryClient, QueryKey } from '@tanstack/react-query'
import type { ChangeSet, Person } from '../../../src/shared/protocol'
import { keys } from './queries'

/**
 * The one bridge from the socket's `changes` pushes to the page's queries: each push names what
 * changed, and only the queries that show it are reloaded (an open thread only when the push is
 * about that thread). The directory reaches customers only inside other changes, so a push that
 * names someone the page does not know yet reloads the people too.
 */
export function keysToInvalidate(
  changes: Partial<ChangeSet>,
  knownPeople: ReadonlyMap<string, Person> | undefined,
): QueryKey[] {
  const threads = changes.threads ?? []
  const messages = changes.messages ?? []
  const reads = changes.reads ?? []
  const removed = changes.removedThreadIds ?? []
  const touched = new Set([
    ...threads.map((t) => t.id),
    ...messages.map((m) => m.threadId),
    ...reads.map((r) => r.threadId),
    ...removed,
  ])
  const out: QueryKey[] = []
  if (touched.size) out.push(keys.threads)
  for (const threadId of touched) out.push(keys.thread(threadId), keys.messages(threadId))
  if (changes.projects?.length) out.push(keys.projects)
  if (changes.settings) out.push(keys.me)
  const named = [
    ...(changes.people ?? []).map((p) => p.id),
    ...messages.map((m) => m.authorId),
    ...threads.flatMap((t) => [...t.participantIds, t.lastMessageSenderId]),
  ]
  if (changes.people?.length || named.some((id) => !knownPeople?.has(id))) out.push(keys.people)
  return out
}

export function applyPush(
  client: QueryClient,
  changes: Partial<ChangeSet>,
  knownPeople: ReadonlyMap<string, Person> | undefined,
): Promise<unknown> {
  return Promise.all(
    keysToInvalidate(changes, knownPeople).map((queryKey) =>
      client.invalidateQueries({ queryKey, exact: true }),
    ),
  )
}
