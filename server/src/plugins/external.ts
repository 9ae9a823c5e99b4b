import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import fp from 'fastify-plugin'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'
import { SESSION_COOKIE } from '../session-token'

export const VERSION = '0.1.0'

/** Hard cap for any multipart body; the company's own, smaller limits are enforced while streaming. */
const MULTIPART_CAP = 1024 * 1024 * 1024

/** The one form an upload takes; Fastify does not validate a multipart body, so only the document states it. */
const UPLOAD_FORM = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: 'The file, with its name as the part’s filename. No other fields.',
    },
  },
  additionalProperties: false,
}

/** The zod transform, plus the form of routes that take an upload (multipart bodies have no zod schema). */
const documentUploads: typeof jsonSchemaTransform = (input) => {
  const out = jsonSchemaTransform(input)
  const consumes = (input.schema as { consumes?: string[] } | undefined)?.consumes
  if (!consumes?.includes('multipart/form-data') || out.schema.hide) return out
  return { ...out, schema: { ...out.schema, body: UPLOAD_FORM } }
}

/** The ecosystem's plugins every route relies on: headers, uploads, the OpenAPI document, cookies. */
export default fp(
  async (app) => {
    app.addHook('onSend', async (_request, reply) => {
      reply.header('X-Content-Type-Options', 'nosniff')
      reply.header('Referrer-Policy', 'no-referrer')
    })
    await app.register(multipart, {
      limits: { fileSize: MULTIPART_CAP, files: 1, fields: 0, parts: 1, headerPairs: 100 },
      throwFileSizeLimit: true,
    })
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Portal Inbox server',
          description: 'The source of truth for portal threads, messages, attachments and people.',
          version: VERSION,
        },
        // Which operations need which, the session plugin states on each (plugins/auth.ts).
        components: {
          securitySchemes: {
            session: { type: 'http', scheme: 'bearer' },
            portalCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          },
        },
      },
      transform: documentUploads,
    })
    await app.register(cookie)
  },
  { name: 'external' },
)
