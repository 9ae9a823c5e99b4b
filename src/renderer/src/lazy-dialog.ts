import { useState } from 'react'

/**
 * For a dialog whose code loads lazily: false until it is first opened, then true for good. The
 * dialog mounts on first open and stays mounted, so closing it keeps its state and its closing
 * transition, as when it was in the first chunk and always mounted.
 */
export function useOpenedOnce(opened: boolean): boolean {
  const [once, setOnce] = useState(opened)
  // Setting state while rendering: React re-renders at once, before anything is painted.
  if (opened && !once) setOnce(true)
  return once || opened
}
