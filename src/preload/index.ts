// The bridge is built from the IPC contract in src/shared (issue 4). Nothing is exposed until then.
export {}
