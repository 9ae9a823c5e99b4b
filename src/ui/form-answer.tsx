import { Alert } from '@mantine/core'
import type { ReactNode } from 'react'

/**
 * What a form's sending came to, under it: a refusal as an alert (read out at once), a success
 * as a status. Each is said only while it is there.
 */
export function FormAnswer(props: {
  refused: ReactNode
  refusedTitle: string
  done: ReactNode
  doneTitle: string
}) {
  return (
    <>
      {props.refused && (
        <Alert color="red" role="alert" title={props.refusedTitle}>
          {props.refused}
        </Alert>
      )}
      {props.done && (
        <Alert color="green" role="status" title={props.doneTitle}>
          {props.done}
        </Alert>
      )}
    </>
  )
}
