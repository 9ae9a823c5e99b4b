import { describe, expect, it } from 'vitest'
import { pathOf, queryString, routes } from './routes'

describe('the route table', () => {
  it('fills a path’s parameters, URL-encoded', () => {
    expect(pathOf(routes.removeParticipant, { threadId: 't 1', userId: 'u/2' })).toBe(
      '/threads/t%201/participants/u%2F2',
    )
    expect(pathOf(routes.me)).toBe('/me')
  })

  it('refuses a path whose parameter is missing rather than calling a wrong address', () => {
    expect(() => pathOf(routes.thread, {} as { threadId: string })).toThrow(/threadId/)
  })

  it('writes a query from its defined fields, in order', () => {
    expect(queryString({ limit: 100, cursor: undefined })).toBe('?limit=100')
    expect(queryString({ q: 'from:ana "wet wall"' })).toBe('?q=from%3Aana%20%22wet%20wall%22')
    expect(queryString(undefined)).toBe('')
  })

  it('names each path as the server registers it, one route per method and path', () => {
    const seen = new Set<string>()
    for (const spec of Object.values(routes)) {
      expect(spec.path).toMatch(/^\/[a-z-/:A-Z]*$/)
      const key = `${spec.method} ${spec.path}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
  })
})
