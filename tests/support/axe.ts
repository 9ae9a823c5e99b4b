import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'

/**
 * Serious and critical axe findings on what the page shows now, each with where and why, so a
 * failing test names the element. `exclude` leaves parts to the suites that scan them.
 */
export async function seriousViolations(
  page: Page,
  where: string,
  exclude: string[] = [],
): Promise<string[]> {
  let builder = new AxeBuilder({ page })
  for (const selector of exclude) builder = builder.exclude(selector)
  const results = await builder.analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.help}) at ${v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    )
}
