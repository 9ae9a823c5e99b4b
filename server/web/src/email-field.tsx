import { TextInput, type TextInputProps } from '@mantine/core'

/** The address someone signs in with, as the browser and password managers know it. */
export function EmailField(props: TextInputProps) {
  return <TextInput label="Email" type="email" autoComplete="username" required {...props} />
}
