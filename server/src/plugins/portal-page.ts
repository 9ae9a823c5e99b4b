import fs from 'node:fs/promises'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the customer portal's page is built (`npm run build`); without it /portal/ says so. */
    portalBuilt: boolean
  }
}

/** Where the customer portal's built page lives (`npm run build` makes it). */
export const PORTAL_DIST = path.resolve(import.meta.dirname, '../../web/dist')

/**
 * The customer portal: the built page under /portal/, every unknown /portal/ path answered with
 * its index.html (the page routes itself), and a strict CSP: the page's own scripts only, and
 * no framing.
 */
export async function portalPage() {
  const csp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
  const built = await fs.access(path.join(PORTAL_DIST, 'index.html')).then(
    () => true,
    () => false,
  )
  return {
    built,
    /** The page's routes; not encapsulated, so the not-found fallback can send its index.html. */
    plugin: fp(async (app: FastifyInstance) => {
      app.decorate('portalBuilt', built)
      // The page is not part of the API: its routes stay out of the OpenAPI document.
      app.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply.redirect('/portal/'),
      )
      if (!built) {
        app.get('/portal/*', { schema: { hide: true } }, async (_request, reply) =>
          reply
            .status(503)
            .type('text/plain; charset=utf-8')
            .send(
              'The customer portal page is not built yet. Run `npm run build`, then restart the server.',
            ),
        )
        return
      }
      await app.register(fastifyStatic, {
        root: PORTAL_DIST,
        prefix: '/portal/',
        index: ['index.html'],
        setHeaders: (res) => {
          res.setHeader('Content-Security-Policy', csp)
          res.setHeader('X-Frame-Options', 'DENY')
        },
      })
    }),
    fallback(request: FastifyRequest, reply: FastifyReply): boolean {
      const url = request.url.split('?')[0] ?? ''
      if (!built || request.method !== 'GET' || !url.startsWith('/portal/') || path.extname(url))
        return false
      void reply
        .header('Content-Security-Policy', csp)
        .header('X-Frame-Options', 'DENY')
        .sendFile('index.html')
      return true
    },
  }
}
