import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { InboundMailResult } from '../../../src/shared/protocol'
import { AppError, notFound } from '../errors'
import { MOST_MAIL_BYTES } from '../mail/inbound/smtp-listener'
import { errorResponses } from '../responses'

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Compared in constant time, so the answer's timing says nothing of how much of it was right. */
function secretMatches(given: string | undefined, secret: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(secret))
}

/**
 * A mail provider's inbound webhook hands over a reply by email as raw MIME
 * (`Content-Type: message/rfc822`), with the shared secret (PORTAL_INBOUND_SECRET) as a bearer
 * token. `X-Envelope-To` and `X-Envelope-From` carry the SMTP envelope where the provider has it.
 * It goes through exactly what a mail to the SMTP listener goes through.
 */
export const inboundRoutes: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(
    'message/rfc822',
    { parseAs: 'buffer', bodyLimit: MOST_MAIL_BYTES },
    (_request, body, done) => done(null, body),
  )
  app.withTypeProvider<ZodTypeProvider>().post(
    '/inbound/mail',
    {
      bodyLimit: MOST_MAIL_BYTES,
      schema: {
        tags: ['inbound'],
        description:
          'A reply by email from a mail provider’s inbound webhook: the raw mail as message/rfc822, authorized by "Authorization: Bearer <PORTAL_INBOUND_SECRET>". 404 when replies by email are not set up.',
        consumes: ['message/rfc822'],
        response: { 200: InboundMailResult, ...errorResponses(400, 401, 404, 413, 415) },
      },
    },
    async (request) => {
      const { inbound, config } = app
      if (!inbound || !config.inboundSecret) throw notFound('Replies by email on this server')
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
      if (!secretMatches(bearer, config.inboundSecret))
        throw new AppError(
          'UNAUTHENTICATED',
          'The inbound webhook needs "Authorization: Bearer <secret>" with the secret set in PORTAL_INBOUND_SECRET.',
        )
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        throw new AppError(
          'VALIDATION_FAILED',
          'Send the whole mail as the body, with "Content-Type: message/rfc822".',
        )
      const header = (name: string) => {
        const value = request.headers[name]
        return typeof value === 'string' ? value : undefined
      }
      const result = await inbound.receive(request.body, {
        mailFrom: header('x-envelope-from'),
        recipients: header('x-envelope-to')
          ?.split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      })
      return {
        outcome: result.outcome,
        reason: result.reason,
        threadId: result.threadId,
        messageId: result.messageId,
      }
    },
  )
}
