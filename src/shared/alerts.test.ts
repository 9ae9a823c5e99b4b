import { describe, expect, it } from 'vitest'
import type { NotificationEvent } from './ipc'
import { gatherAlerts, gatherBatch } from './alerts'

const alert = (n: number, kind: NotificationEvent['kind'] = 'urgent'): NotificationEvent => ({
  kind,
  threadId: `00000000-0000-7000-8000-00000000000${n}`,
  messageId: `00000000-0000-7000-8000-00000000010${n}`,
  title: `${kind === 'urgent' ? 'Urgent: ' : ''}Carla Mendes · Maple Street Remodel`,
  body: `Leak ${n}: water on the floor`,
  sound: true,
})

describe('alerts gather', () => {
  it('into one that counts them and points at the newest', () => {
    const gathered = [1, 2, 3, 4, 5].map((n) => alert(n)).reduce(gatherAlerts, null as never)
    expect(gathered).toMatchObject({
      kind: 'urgent',
      count: 5,
      title: '5 new urgent messages',
      body: 'Newest: Leak 5: water on the floor',
      threadId: alert(5).threadId,
      messageId: alert(5).messageId,
    })
  })

  it('by kind: an urgent alert and a normal one stay apart, urgent first', () => {
    const batch = gatherBatch([alert(1, 'normal'), alert(2), alert(3, 'normal'), alert(4)])
    expect(batch.map((a) => [a.kind, a.count, a.title])).toEqual([
      ['urgent', 2, '2 new urgent messages'],
      ['normal', 2, '2 new messages'],
    ])
    expect(gatherAlerts(alert(1, 'normal'), alert(2))).toEqual(alert(2))
  })

  it('a single message keeps its own title and sentence, and gathered counts add up', () => {
    expect(gatherBatch([alert(1)])).toEqual([alert(1)])
    const three = gatherBatch([alert(1), alert(2), alert(3)])[0]!
    const two = gatherBatch([alert(4), alert(5)])[0]!
    expect(gatherAlerts(three, two)).toMatchObject({
      count: 5,
      title: '5 new urgent messages',
      body: 'Newest: Leak 5: water on the floor',
    })
  })
})
