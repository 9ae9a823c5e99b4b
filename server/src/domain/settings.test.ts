import { describe, expect, it } from 'vitest'
import { defaultSettings, matchesUrgentKeyword, parseSettings } from './settings'

describe('matchesUrgentKeyword', () => {
  const keywords = ['leak', 'gas smell', 'no heat']
  it('matches whole words and phrases, case and punctuation aside', () => {
    expect(matchesUrgentKeyword('There is a LEAK!', keywords)).toBe(true)
    expect(matchesUrgentKeyword('we have a gas-smell in the kitchen', keywords)).toBe(true)
    expect(matchesUrgentKeyword('No heat since last night', keywords)).toBe(true)
  })
  it('does not match inside other words', () => {
    expect(matchesUrgentKeyword('The leaky faucet tutorial', keywords)).toBe(false)
    expect(matchesUrgentKeyword('no heater needed', keywords)).toBe(false)
  })
})

describe('parseSettings', () => {
  it('fills fields added after the settings were saved with their defaults', () => {
    const settings = parseSettings(JSON.stringify({ messagesEnabled: false }))
    expect(settings.messagesEnabled).toBe(false)
    expect(settings.maxFileBytes).toBe(defaultSettings.maxFileBytes)
  })
})
