// mjml 5 ships no types; this is the one call templates/thread-mail.ts makes.
declare module 'mjml' {
  export default function mjml2html(
    mjml: string,
    options?: { validationLevel?: 'strict' | 'soft' | 'skip'; keepComments?: boolean },
  ): Promise<{ html: string; errors: { formattedMessage: string }[] }>
}
