import { clockFromSpec, type Clock } from '../../src/shared/clock'
import { listeningUrl } from './address'
import { buildApp, type PortalApp } from './app'
import type { ServerConfig } from './config'
import type { DemoLogin } from './demo/seed'

export interface PortalServer {
  app: PortalApp
  url: string
  demoLogins: DemoLogin[]
  /** Whether the customer portal's page is built (`npm run build`); without it /portal/ says so. */
  portalBuilt: boolean
  close(): Promise<void>
}

/**
 * Builds the app and listens: the CLI's server, and the one tests start in their own process
 * when they move its clock.
 */
export async function startPortalServer(
  config: ServerConfig,
  clock: Clock = clockFromSpec(config.clock),
): Promise<PortalServer> {
  const app = await buildApp(config, clock)
  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (err) {
    await app.close()
    throw err
  }
  return {
    app,
    url: listeningUrl(app.server, config.host) ?? `http://${config.host}:${config.port}`,
    demoLogins: app.demoLogins,
    portalBuilt: app.portalBuilt,
    close: () => app.close(),
  }
}
