import {
  Alert,
  Badge,
  createTheme,
  Drawer,
  Modal,
  NavLink,
  type CSSVariablesResolver,
} from '@mantine/core'

// Mantine's defaults fall short of WCAG AA contrast for small text (dimmed gray, blue badges):
// darker shades keep everything at 4.5:1 or better. The staff inbox and the customer portal share it.
export const theme = createTheme({
  primaryShade: { light: 8, dark: 8 },
  // The close button of every dialog needs a name for screen readers (axe: button-name).
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // Light badges keep their tinted ground but take the body's text colour: coloured small text
    // on a tint of the same colour falls below 4.5:1 for most hues.
    NavLink: NavLink.extend({
      vars: () => ({ root: { '--nl-color': 'var(--mantine-color-text)' }, children: {} }),
    }),
    // A yellow alert's title is orange on pale yellow (2.7:1): it takes the body's text colour.
    Alert: Alert.extend({
      vars: (_theme, props) =>
        props.color === 'yellow' && (props.variant ?? 'light') === 'light'
          ? { root: { '--alert-color': 'var(--mantine-color-text)' } }
          : { root: {} },
    }),
    Badge: Badge.extend({
      vars: (_theme, props) =>
        props.variant === 'light'
          ? { root: { '--badge-color': 'var(--mantine-color-text)' } }
          : { root: {} },
    }),
  },
})
export const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Placeholders that stand in for a value (a date picker's "Any time") are read as text.
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': 'var(--mantine-color-dark-1)',
  },
})
