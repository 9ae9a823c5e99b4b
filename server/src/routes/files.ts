import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Id } from '../../../src/shared/protocol'
import { routes } from '../../../src/shared/protocol/routes'
import { AppError } from '../errors'
import { errorResponses } from '../responses'
import { route } from './route'

/**
 * A download is the file's own bytes, in the content type it was stored with. The handler sends a
 * stream, which no serializer touches: the schema only tells the document what comes back.
 */
const FileBytes = {
  description: 'The file, as an attachment (Content-Disposition), in its stored content type.',
  content: {
    'application/octet-stream': { schema: z.unknown().meta({ type: 'string', format: 'binary' }) },
  },
}

/** RFC 6266 / 5987: an ASCII fallback for old clients and the exact UTF-8 name for the rest. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export const fileRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>()

  route(
    app,
    routes.upload,
    {
      tags: ['attachments'],
      config: { writeLimit: 'upload' },
      description:
        'Upload one file as multipart/form-data (field "file"). Pass the returned id in a message\'s attachmentIds. A clientId makes retries return the first upload.',
      consumes: ['multipart/form-data'],
      statuses: [200, 201],
      errors: [400, 403, 404, 409, 413, 415],
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Upload files as multipart/form-data with the file in a field named "file".',
        )
      // files() rather than file(): once the file is in, the same iterator says whether the form
      // went on (a second file or a field), which must refuse the upload, not silently drop the rest.
      const files = request.files()
      const first = await files.next()
      const part = first.done ? undefined : first.value
      if (!part)
        throw new AppError(
          'VALIDATION_FAILED',
          'The upload has no file. Put the file in a form field named "file".',
        )
      if (part.fieldname !== 'file') {
        part.file.resume()
        throw new AppError(
          'VALIDATION_FAILED',
          `Put the file in a form field named "file", not "${part.fieldname}".`,
        )
      }
      const declared = Number(request.headers['content-length'])
      const { attachment, created } = await app.attachments.upload(
        request.caller,
        request.params.projectId,
        request.query.clientId,
        {
          filename: part.filename,
          stream: part.file,
          declaredBytes: Number.isFinite(declared) && declared > 0 ? declared : null,
          async formEnded() {
            // With the multipart limits (one part), more parts reject here with FST_PARTS_LIMIT.
            const next = await files.next()
            if (!next.done) {
              next.value.file.resume()
              throw new AppError('TOO_MANY_FILES', 'Upload one file per request.')
            }
          },
        },
      )
      return reply.status(created ? 201 : 200).send({ attachment })
    },
  )

  // The table types the download's answer as unknown bytes; the document says what they are, so
  // this route keeps its own schema (FileBytes), with the table's path.
  r.get(
    routes.download.path,
    {
      schema: {
        tags: ['attachments'],
        description: 'Downloads the file, always as an attachment, never rendered by the browser.',
        params: z.strictObject({ attachmentId: Id }),
        response: { 200: FileBytes, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const { attachment, stream } = await app.attachments.open(
        request.caller,
        request.params.attachmentId,
      )
      return reply
        .header('Content-Type', attachment.contentType)
        .header('Content-Length', attachment.size)
        .header('Content-Disposition', contentDisposition(attachment.name))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .header('Cache-Control', 'private, no-store')
        .header('ETag', `"${attachment.sha256}"`)
        .send(stream)
    },
  )
}
