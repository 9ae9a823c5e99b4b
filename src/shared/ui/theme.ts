import { createTheme, type CSSVariablesResolver } from '@mantine/core'

// Mantine's defaults fall short of WCAG AA contrast for small text (dimmed gray, blue badges):
// darker shades keep everything at 4.5:1 or better. The staff inbox and the customer portal share it.
export const theme = createTheme({ primaryShade: { light: 8, dark: 5 } })
export const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
})
