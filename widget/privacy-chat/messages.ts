import { RIGHTS, type AskKind, type Right } from "../../server/contract/constants.js";
import type { AskReply, Citation, IntakeOffer } from "../../server/contract/index.js";

export type Verdict = "up" | "down";

export interface VisitorMessage {
  id: number;
  role: "visitor";
  text: string;
}

export interface AssistantMessage {
  id: number;
  role: "assistant";
  kind: AskKind;
  /** Markdown from the server, rendered and sanitised at display time. */
  text: string;
  citations: Citation[];
  right?: Right;
  intake?: IntakeOffer;
  feedback?: Verdict;
}

/** A question that could not be answered because of the network or the server; it can be sent again. */
export interface ErrorMessage {
  id: number;
  role: "error";
  text: string;
  question: string;
}

export type ChatMessage = VisitorMessage | AssistantMessage | ErrorMessage;

/** Long conversations keep their tail; sessionStorage is small and old answers are rarely scrolled back to. */
export const MAX_STORED_MESSAGES = 60;

export function nextId(messages: readonly ChatMessage[]): number {
  return messages.reduce((max, message) => Math.max(max, message.id), 0) + 1;
}

export function addQuestion(messages: readonly ChatMessage[], text: string): ChatMessage[] {
  return [...messages, { id: nextId(messages), role: "visitor", text }];
}

export function addReply(messages: readonly ChatMessage[], reply: AskReply): ChatMessage[] {
  const message: AssistantMessage = {
    id: nextId(messages),
    role: "assistant",
    kind: reply.kind,
    text: reply.text,
    citations: reply.citations,
  };
  if (reply.right) message.right = reply.right;
  if (reply.intake) message.intake = reply.intake;
  return [...messages, message];
}

export function addError(messages: readonly ChatMessage[], text: string, question: string): ChatMessage[] {
  return [...messages, { id: nextId(messages), role: "error", text, question }];
}

/** Drops an error once its question is being sent again, so the log does not fill with stale failures. */
export function withoutMessage(messages: readonly ChatMessage[], id: number): ChatMessage[] {
  return messages.filter((message) => message.id !== id);
}

export function setFeedback(messages: readonly ChatMessage[], id: number, verdict: Verdict): ChatMessage[] {
  return messages.map((message) => (message.id === id && message.role === "assistant" ? { ...message, feedback: verdict } : message));
}

/** The right an answer hands over to the intake form, if any. */
export function offeredRight(message: AssistantMessage): Right | undefined {
  return message.intake?.right ?? (message.kind === "rights_request" ? message.right : undefined);
}

/**
 * Checks a server reply before the widget trusts its shape; anything else is treated as a server error.
 * @example parseAskReply({ kind: "answer", text: "…", citations: [] })?.kind === "answer"
 */
export function parseAskReply(value: unknown): AskReply | undefined {
  if (!isRecord(value)) return undefined;
  const { kind, text, citations, right, intake } = value;
  if (kind !== "answer" && kind !== "no_answer" && kind !== "rights_request") return undefined;
  if (typeof text !== "string" || !Array.isArray(citations)) return undefined;
  const reply: AskReply = { kind, text, citations: citations.filter(isCitation) };
  if (isRight(right)) reply.right = right;
  if (isRecord(intake) && isRight(intake.right) && typeof intake.site === "string") {
    const fields = Array.isArray(intake.fields) ? intake.fields.filter((f): f is string => typeof f === "string") : [];
    reply.intake = { right: intake.right, site: intake.site, fields };
  }
  return reply;
}

export function storageKey(site: string): string {
  return `privacy-chat:${site}`;
}

/** Reads a stored conversation, ignoring anything that is not one (another script's key, an older format). */
export function loadConversation(storage: Pick<Storage, "getItem"> | undefined, site: string): ChatMessage[] {
  if (!storage) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(storageKey(site)) ?? "null");
  } catch {
    return [];
  }
  if (!isRecord(raw) || !Array.isArray(raw.messages)) return [];
  return raw.messages.flatMap((item): ChatMessage[] => {
    if (!isRecord(item) || typeof item.id !== "number") return [];
    if (item.role === "visitor" && typeof item.text === "string") return [{ id: item.id, role: "visitor", text: item.text }];
    if (item.role === "assistant") {
      const reply = parseAskReply(item);
      if (!reply) return [];
      const [message] = addReply([], reply) as [AssistantMessage];
      message.id = item.id;
      if (item.feedback === "up" || item.feedback === "down") message.feedback = item.feedback;
      return [message];
    }
    return [];
  });
}

/** Keeps the conversation for this tab only; errors are not kept since they describe a moment that has passed. */
export function saveConversation(
  storage: Pick<Storage, "setItem" | "removeItem"> | undefined,
  site: string,
  messages: readonly ChatMessage[],
): void {
  if (!storage) return;
  const kept = messages.filter((message) => message.role !== "error").slice(-MAX_STORED_MESSAGES);
  try {
    if (kept.length === 0) storage.removeItem(storageKey(site));
    else storage.setItem(storageKey(site), JSON.stringify({ messages: kept }));
  } catch {
    // A full or blocked storage only costs the visitor their history after a reload.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRight(value: unknown): value is Right {
  return typeof value === "string" && (RIGHTS as readonly string[]).includes(value);
}

function isCitation(value: unknown): value is Citation {
  return (
    isRecord(value) &&
    typeof value.title === "string" &&
    typeof value.section === "string" &&
    typeof value.text === "string" &&
    typeof value.url === "string"
  );
}

/**
 * What a screen reader announces for an answer: the Markdown's words without its punctuation marks.
 * @example speakable("**We keep** [chat logs](https://x) for 30 days [1].") === "We keep chat logs for 30 days."
 */
export function speakable(markdown: string, limit = 400): string {
  const text = markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s?\[\d+\]/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/[*_`#>|~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > limit ? `${text.slice(0, limit).replace(/\s+\S*$/, "")}…` : text;
}
