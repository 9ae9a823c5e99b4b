import { shell } from 'electron'

/**
 * Opens a downloaded attachment with the system's app: the engine's `openPath` option. The engine
 * hands over only a copy in its own files folder, named after the attachment and of a known
 * document or image type (FileStore.openableCopy). shell.openPath resolves to an error string,
 * '' on success.
 */
export async function openWithSystem(
  file: string,
  warn: (message: string) => void = console.warn,
): Promise<boolean> {
  const error = await shell.openPath(file)
  if (error) warn(`Could not open ${file}: ${error}`)
  return error === ''
}
