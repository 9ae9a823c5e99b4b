import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { Health } from '../../../src/shared/protocol'
import { VERSION } from '../plugins/external'

// Uptime is how long this process has run, whatever the product's clock says: monotonic time.
const started = performance.now()

export const metaRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get('/health', { schema: { tags: ['meta'], response: { 200: Health } } }, async () => ({
    ok: true as const,
    version: VERSION,
    uptimeSeconds: Math.round((performance.now() - started) / 1000),
  }))
  r.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
