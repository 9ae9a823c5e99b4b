import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { Health } from '../../../src/shared/protocol'

// Uptime is how long this process has run, whatever the product's clock says: monotonic time.
const started = performance.now()

export async function metaRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get('/health', { schema: { tags: ['meta'], response: { 200: Health } } }, async () => ({
    ok: true as const,
    version: '0.1.0',
    uptimeSeconds: Math.round((performance.now() - started) / 1000),
  }))
  r.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
