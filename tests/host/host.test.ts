import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { HostMessage } from '../../src/shared/ipc-wire'
import { encodeValue } from '../../src/shared/ipc-wire'
import { serverForFile } from '../support/file-server'
import { engineForFile, hostForFile } from '../support/file-hooks'

const portal = serverForFile({ people: {} })
/** Not signed in: a case signs it in through the host. */
const engine = engineForFile()
const host = hostForFile(engine, async () => {
  const rendererDir = await fs.mkdtemp(path.join(os.tmpdir(), 'portal-renderer-'))
  await fs.writeFile(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Portal Inbox</title>',
  )
  return rendererDir
})

function connect(query: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host().url.replace('http', 'ws')}/ipc${query}`, { origin })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function call(ws: WebSocket, id: number, method: string, input: unknown): Promise<HostMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as HostMessage
      if ('id' in message && message.id === id) {
        ws.off('message', onMessage)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, method, input: encodeValue(input) }))
  })
}

describe('headless host', () => {
  it('serves the renderer with a strict content security policy, and nothing outside its folder', async () => {
    const res = await fetch(host().url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await res.text()).toContain('Portal Inbox')
    const traversal = await fetch(`${host().url}/..%2f..%2f..%2fetc%2fpasswd`)
    expect(await traversal.text()).not.toContain('root:')
    expect(host().openUrl).toMatch(/#token=/)
  })

  it('refuses a page without the token', async () => {
    await expect(connect('', host().url)).rejects.toThrow('refused 401')
    await expect(connect('?token=wrong', host().url)).rejects.toThrow('refused 401')
  })

  it('refuses a page from another origin, even with the token', async () => {
    await expect(connect(`?token=${host().token}`, 'http://evil.example')).rejects.toThrow(
      'refused 403',
    )
    await expect(connect(`?token=${host().token}`, 'http://127.0.0.1:1')).rejects.toThrow(
      'refused 403',
    )
  })

  it('round-trips renderer calls to the real engine, and pushes engine events', async () => {
    const ws = await connect(`?token=${host().token}`, host().url)
    try {
      const events: string[] = []
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as HostMessage
        if ('event' in m) events.push(m.event)
      })
      const signedIn = await call(ws, 1, 'signIn', {
        serverUrl: portal.server.url,
        email: 'staff@demo.test',
        password: 'portal-demo',
      })
      expect(signedIn).toMatchObject({ id: 1, result: { user: { email: 'staff@demo.test' } } })
      const list = await call(ws, 2, 'listThreads', { view: 'all' })
      expect(
        'result' in list && (list.result as { threads: unknown[] }).threads.length,
      ).toBeGreaterThan(3)
      const bad = await call(ws, 3, 'listThreads', { view: 'nonsense' })
      expect(bad).toMatchObject({ id: 3, error: { code: 'INVALID_INPUT' } })
      const unknown = await call(ws, 4, 'deleteEverything', {})
      expect(unknown).toMatchObject({ id: 4, error: { code: 'INVALID_INPUT' } })
      const staged = await call(ws, 5, 'stageBytes', {
        name: 'notes.txt',
        bytes: new TextEncoder().encode('hello'),
      })
      expect(staged).toMatchObject({ id: 5, result: { name: 'notes.txt', size: 5 } })
      expect(events).toContain('syncProgress')
    } finally {
      ws.close()
    }
  })
})
