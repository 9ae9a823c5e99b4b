/**
 * The headless host carries the IPC contract over a WebSocket as JSON. Bytes (a file dropped on
 * the page) travel as { $bytes: base64 }; everything else is plain JSON already. No dependencies: the
 * renderer bundles this, and zod would probe eval() against the page's CSP.
 */
export interface HostRequest {
  id: number
  method: string
  input: unknown
}

export type HostMessage =
  | { id: number; result: unknown }
  | { id: number; error: { code: string; message: string } }
  | { event: string; payload: unknown }

export function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let binary = ''
    for (let i = 0; i < value.length; i += 0x8000)
      binary += String.fromCharCode(...value.subarray(i, i + 0x8000))
    return { $bytes: btoa(binary) }
  }
  if (Array.isArray(value)) return value.map(encodeValue)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]))
  return value
}

export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue)
  if (value && typeof value === 'object') {
    const bytes = (value as { $bytes?: unknown }).$bytes
    if (typeof bytes === 'string' && Object.keys(value).length === 1) {
      const binary = atob(bytes)
      const out = new Uint8Array(binary.length)
      for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
      return out
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(v)]))
  }
  return value
}
