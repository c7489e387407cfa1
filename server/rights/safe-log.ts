/** Matches anything shaped like an e-mail address, so a third-party error message cannot leak one into a log. */
const EMAIL_LIKE = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g;

export function redactEmails(text: string): string {
  return text.replace(EMAIL_LIKE, "[e-mail]");
}

/** A log function that scrubs e-mail-shaped text before passing the line on. */
export function safeLogger(log: (line: string) => void): (line: string) => void {
  return (line) => log(redactEmails(line));
}

export function errorMessage(error: unknown): string {
  return redactEmails(error instanceof Error ? error.message : String(error));
}
