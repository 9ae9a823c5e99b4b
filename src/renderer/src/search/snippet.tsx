import type { SearchHitLocal } from '../../../shared/ipc'

/** The engine marks which parts of the snippet matched; they are shown as <mark>, the rest as text. */
export function Snippet({ parts }: { parts: SearchHitLocal['snippet'] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  )
}
