import type {
  ContextConfigDefault,
  FastifyContextConfig,
  FastifyInstance,
  FastifySchema,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Id, type ErrorBodySchema } from '../../../src/shared/protocol'
import type { RouteParams, RouteSpec } from '../../../src/shared/protocol/routes'
import { errorResponses, type ErrorStatus } from '../responses'

/** Every `:name` in a path is an id, so the path alone says how its parameters are checked. */
type ParamsOf<R extends RouteSpec> = z.ZodObject<
  Record<keyof RouteParams<R>, typeof Id>,
  z.core.$strict
>
type Success = 200 | 201

/** The Fastify schema a spec stands for, typed so the handler's request and answer are too. */
interface SchemaOf<
  R extends RouteSpec,
  S extends Success,
  E extends ErrorStatus,
> extends FastifySchema {
  params: ParamsOf<R>
  querystring: R['query']
  body: R['body']
  response: Record<S, R['response']> & Record<E, typeof ErrorBodySchema>
}

export type SpecHandler<
  R extends RouteSpec,
  S extends Success = 200,
  E extends ErrorStatus = never,
> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  SchemaOf<R, S, E>,
  ZodTypeProvider
>

export interface SpecOptions<S extends Success, E extends ErrorStatus> {
  tags: string[]
  description?: string
  /** The errors the route's own handler can answer (the plugins document the ones every route can). */
  errors?: readonly E[]
  /**
   * The statuses that answer with the spec's response: 200 unless said; 201 for a create, and
   * both where a replayed client id answers 200 with what the first request made.
   */
  statuses?: readonly S[]
  config?: FastifyContextConfig
  consumes?: string[]
  serializerCompiler?: RouteShorthandOptions['serializerCompiler']
}

function paramsOf(path: string): z.ZodType | undefined {
  const names = [...path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => name)
  if (!names.length) return undefined
  return z.strictObject(Object.fromEntries(names.map((name) => [name, Id])))
}

/**
 * Registers a route from its entry in the shared table (src/shared/protocol/routes.ts), the one the
 * clients build their requests from: the method, the path, the body or query it validates and the
 * answer it documents come from there, so the server cannot drift from what the clients send.
 * Paths are relative to /api/v1, so the route's plugin must sit at that prefix.
 */
export function route<R extends RouteSpec, S extends Success = 200, E extends ErrorStatus = never>(
  app: FastifyInstance,
  spec: R,
  options: SpecOptions<S, E>,
  handler: SpecHandler<R, S, E>,
): void {
  const { tags, description, consumes, errors = [], statuses = [200 as S], ...rest } = options
  const params = paramsOf(spec.path)
  // Keys a route has no use for stay out: the document and commonErrors read what is there.
  const schema: FastifySchema = {
    tags,
    ...(description !== undefined && { description }),
    ...(consumes && { consumes }),
    ...(params && { params }),
    ...(spec.query && { querystring: spec.query }),
    ...(spec.body && { body: spec.body }),
    response: {
      ...Object.fromEntries(statuses.map((status) => [status, spec.response])),
      ...errorResponses(...errors),
    },
  }
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.path,
    schema: schema as SchemaOf<R, S, E>,
    handler,
    ...rest,
  })
}
