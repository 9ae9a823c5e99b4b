// The package ships no types; these are the parts reply-text.ts uses.
declare module 'email-reply-parser' {
  class Email {
    getVisibleText(options?: { aggressive?: boolean }): string
  }
  export default class EmailReplyParser {
    read(text: string): Email
  }
}
