import type { OutboxMessage } from "./types.js";

/**
 * The verification codes in an e-mail's text: six digits standing alone, as the rights mailer sends them.
 * @example verificationCodes("Your code is 042917. It expires in 30 minutes.") // ["042917"]
 */
export function verificationCodes(text: string): string[] {
  return [...new Set(text.match(/(?<![\d-])\d{6}(?![\d-])/g) ?? [])];
}

/** Newest message first; messages with the same time keep the server's order. */
export function newestFirst(messages: readonly OutboxMessage[]): OutboxMessage[] {
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => Date.parse(b.message.createdAt) - Date.parse(a.message.createdAt) || a.index - b.index)
    .map(({ message }) => message);
}
