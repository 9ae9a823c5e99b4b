import path from 'node:path'
import { startPortalServer } from './server'
import { readConfig } from './config'
import { DEMO_PASSWORD } from './demo/seed'

/** `npm run server -- --port 4870 --data ./data --demo`: flags first, then PORTAL_* environment variables. */
async function main(): Promise<void> {
  let config
  try {
    config = readConfig(process.argv.slice(2), process.env)
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    console.error(
      'Usage: npm run server -- [--port 4870] [--host 127.0.0.1] [--data ./data] [--public-url URL] [--smtp-url smtp://…] [--inbound-smtp-port 2525] [--demo] [--clock 2026-12-05T23:30:00Z]',
    )
    process.exit(2)
  }
  const server = await startPortalServer(config)
  // One line says where everything is; after it, only warnings and errors (requests are at debug).
  const mail = config.smtpUrl
    ? `mail via ${config.smtpUrl.replace(/\/\/[^@]*@/, '//***@')}`
    : `mail written to ${path.join(config.dataDir, 'mail')}`
  const portal = server.portalBuilt
    ? `customer portal ${server.url}/portal/`
    : 'customer portal not built (run `npm run build`, then restart)'
  const smtpPort = server.app.inbound?.smtpPort()
  const replies = config.inboundDomain
    ? ` · replies by email to reply+…@${config.inboundDomain}${smtpPort ? ` (SMTP on port ${smtpPort})` : ''}`
    : ''
  const lines = [
    '',
    `Portal server listening on ${server.url} · ${portal} · data ${config.dataDir} · ${mail}${replies}`,
  ]
  if (server.demoLogins.length) {
    lines.push('', `Demo logins (password "${DEMO_PASSWORD}"):`)
    for (const login of server.demoLogins) lines.push(`  ${login.email.padEnd(22)} ${login.note}`)
  }
  console.log(lines.join('\n') + '\n')

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    server.app.log.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(
    `The portal server could not start: ${err instanceof Error ? err.message : String(err)}`,
  )
  if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE')
    console.error('Another program uses that port. Pick another with --port or PORTAL_PORT.')
  process.exit(1)
})
