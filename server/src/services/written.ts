import type { Changed } from '../domain/changed'

/** What a write answers: its result, and what it touched for the realtime push after the commit. */
export interface Written<T> {
  result: T
  changed: Changed
}

/** A write that carries a client id: a repeat answers the original. */
export interface Created<T> extends Written<T> {
  /** False when the client id was seen before and the original result is returned. */
  created: boolean
}
