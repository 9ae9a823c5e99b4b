import { Menu, type MenuItemConstructorOptions } from 'electron'

/** The application menu, so the keyboard shortcuts are discoverable; each item sends its command to the renderer. */
export function buildMenu(send: (command: string) => void): Menu {
  // Single-key shortcuts are shown but not registered: registered, they would swallow those
  // letters while someone types a reply. The renderer handles them outside text fields.
  const item = (
    label: string,
    accelerator: string,
    command: string,
  ): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: /CmdOrCtrl|Alt/.test(accelerator),
    click: () => send(command),
  })
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New Message', 'N', 'compose'),
        item('Search', 'CmdOrCtrl+K', 'search'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Conversation',
      submenu: [
        item('Next', 'J', 'next'),
        item('Previous', 'K', 'previous'),
        item('Reply', 'R', 'reply'),
        item('Assign', 'A', 'assign'),
        item('Close', 'E', 'close'),
        item('Snooze', 'S', 'snooze'),
        item('Mark Unread', 'U', 'unread'),
        item('Send', 'CmdOrCtrl+Enter', 'send'),
      ],
    },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [item('Keyboard Shortcuts', 'Shift+/', 'shortcuts')] },
  ]
  return Menu.buildFromTemplate(template)
}
