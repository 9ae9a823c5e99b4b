import fp from 'fastify-plugin'
import { Realtime } from '../../realtime'

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime
  }
}

/**
 * Live delivery on the server's own HTTP server. Its sockets close before the server does
 * (preClose): an open WebSocket would otherwise hold the close until it timed out.
 */
export default fp(
  async (app) => {
    const realtime = new Realtime(app.server, app.sessions, app.live, app.log, app.clock)
    app.decorate('realtime', realtime)
    app.addHook('preClose', () => realtime.close())
  },
  { name: 'realtime', dependencies: ['repositories'] },
)
