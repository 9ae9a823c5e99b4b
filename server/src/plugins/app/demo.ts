import fp from 'fastify-plugin'
import { seedDemo, type DemoLogin } from '../../demo/seed'

declare module 'fastify' {
  interface FastifyInstance {
    /** The demo company's sign-ins when it was asked for (--demo), for the CLI to print. */
    demoLogins: DemoLogin[]
  }
}

/** Seeds the demo company when asked and the data is empty. */
export default fp(
  async (app) => {
    app.decorate(
      'demoLogins',
      app.config.demo ? await seedDemo(app.db, app.config.dataDir, app.clock) : [],
    )
  },
  { name: 'demo', dependencies: ['database'] },
)
