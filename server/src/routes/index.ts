import type { FastifyPluginAsync } from 'fastify'
import { requireSession } from '../plugins/auth'
import { limitWrites } from '../plugins/write-limits'
import { adminRoutes } from './admin'
import { publicAuthRoutes, sessionRoutes } from './auth'
import { feedRoutes } from './feed'
import { heldReplyRoutes } from './held-replies'
import { inboundRoutes } from './inbound'
import { mailLogRoutes } from './mail-log'
import { fileRoutes } from './files'
import { metaRoutes } from './meta'
// issue 14: portal links
import { portalLinkRoutes } from './portal-links'
import { threadRoutes } from './threads'

/** The API: a few routes open to anyone, the rest behind a session and the write limits. */
export const apiRoutes: FastifyPluginAsync = async (api) => {
  await api.register(async (open) => {
    await open.register(metaRoutes)
    await open.register(publicAuthRoutes)
    await open.register(inboundRoutes)
    await open.register(portalLinkRoutes)
  })
  await api.register(async (authed) => {
    requireSession(authed)
    limitWrites(authed)
    await authed.register(sessionRoutes)
    await authed.register(mailLogRoutes)
    await authed.register(heldReplyRoutes)
    await authed.register(threadRoutes)
    await authed.register(fileRoutes)
    await authed.register(feedRoutes)
    await authed.register(adminRoutes)
  })
}
