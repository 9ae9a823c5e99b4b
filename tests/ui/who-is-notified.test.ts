import type { Locator } from 'playwright-core'
import { describe, expect } from 'vitest'
import { Me } from '../../src/shared/protocol'
import { screenshot } from '../support/inbox'
import { uiSuite } from '../support/ui-suite'

// Issue 14, "Who is notified" in every thread: in the Participants panel, each person a new
// message reaches, each channel and why not. Sam's desktop alert settings, changed in his engine,
// reach the server, which says "muted this project" about him; adding a colleague to the thread
// brings her into the list at once.

const it = uiSuite()
const WITHIN = { timeout: 10_000 }

/** A person's row in one of the panel's lists, and its words. */
const rowIn = (panel: Locator, list: string, name: string) =>
  panel.getByRole('list', { name: list }).getByRole('listitem', { name })

describe('Who is notified', () => {
  it('lists each person by channel with the reason, follows desktop settings and the participants', async ({
    stack,
    sam,
    dir,
    openCustomerThread,
  }) => {
    const maple = dir.project('Maple')
    await stack.engine.api.setNotificationPreferences({ mutedProjectIds: [maple] })
    // The engine keeps them on the server too, where the panel's answer comes from.
    await expect
      .poll(
        async () => Me.parse((await sam.get('/me')).body).preferences.desktop?.mutedProjectIds,
        WITHIN,
      )
      .toEqual([maple])

    const subject = 'Who hears about the tiles'
    const { page, errors } = await openCustomerThread({ subject, body: 'Are the tiles in yet?' })
    await page.getByRole('button', { name: /^Participants/ }).click()
    const panel = page.getByRole('dialog', { name: 'Participants' }).getByTestId('who-is-notified')

    const samRow = rowIn(panel, 'When a customer writes', 'Sam Rivera')
    await expect.poll(() => samRow.textContent(), WITHIN).toContain('Desktop: off')
    expect(await samRow.textContent()).toContain('muted this project (urgent messages still alert)')
    expect(await samRow.textContent()).toContain('Email: off')
    const carlaRow = rowIn(panel, 'When the team replies', 'Carla Mendes')
    expect(await carlaRow.textContent()).toContain('Email: on')
    expect(await carlaRow.textContent()).toContain('Portal: on')
    expect(await carlaRow.textContent()).toContain('sees it next time they open the portal')
    expect(await panel.textContent()).toContain('An internal note reaches no customer')

    // Tess is not on Maple's team: once added to the thread, the panel lists her.
    const tessRow = rowIn(panel, 'When a customer writes', 'Tess Nguyen')
    expect(await tessRow.count()).toBe(0)
    const drawer = page.getByRole('dialog', { name: 'Participants' })
    await drawer.getByRole('combobox', { name: 'Add someone' }).click()
    await drawer.getByRole('option', { name: 'Tess Nguyen', exact: true }).click()
    await drawer.getByRole('button', { name: 'Add to the conversation' }).click()
    await expect.poll(() => tessRow.count(), WITHIN).toBe(1)
    expect(await tessRow.textContent()).toContain('in the conversation')
    expect(await tessRow.textContent()).toContain('desktop alerts on (default)')
    await screenshot(page, 'who-is-notified')
    expect(errors).toEqual([])

    await stack.engine.api.setNotificationPreferences({ mutedProjectIds: [] })
  })
})
