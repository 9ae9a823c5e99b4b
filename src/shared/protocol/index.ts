export * from './errors'
export * from './domain'
export * from './api'
export * from './socket'
