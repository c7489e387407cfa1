import { describe, expect, it } from "vitest";
import type { AskReply } from "../../server/contract/index.js";
import {
  MAX_STORED_MESSAGES,
  addError,
  addQuestion,
  addReply,
  loadConversation,
  offeredRight,
  parseAskReply,
  saveConversation,
  setFeedback,
  speakable,
  storageKey,
  withoutMessage,
  type AssistantMessage,
} from "./messages.js";

const citation = {
  title: "Privacy Policy",
  section: "Data retention",
  text: "We keep chat logs for 30 days.",
  url: "https://example.com/privacy#retention",
  score: 0.8,
};
const answer: AskReply = { kind: "answer", text: "We keep chat logs for **30 days** [1].", citations: [citation] };

/** A Storage with the same contract as sessionStorage, backed by a Map. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe("conversation state", () => {
  it("numbers messages in order and records a reply with its citations", () => {
    const messages = addReply(addQuestion([], "How long do you keep chat data?"), answer);
    expect(messages.map((m) => [m.id, m.role])).toEqual([
      [1, "visitor"],
      [2, "assistant"],
    ]);
    expect((messages[1] as AssistantMessage).citations[0]?.section).toBe("Data retention");
  });

  it("sets feedback only on the assistant message it was given for", () => {
    const messages = setFeedback(addReply(addQuestion([], "q"), answer), 2, "down");
    expect((messages[1] as AssistantMessage).feedback).toBe("down");
    expect(setFeedback(messages, 1, "up")[0]).toEqual(messages[0]);
  });

  it("removes a failed question's error when it is retried", () => {
    const messages = addError(addQuestion([], "q"), "offline", "q");
    expect(withoutMessage(messages, 2).map((m) => m.role)).toEqual(["visitor"]);
  });

  it("offers the intake right from an answer's intake or a rights_request reply, not from a plain answer", () => {
    const [, plain] = addReply(addQuestion([], "q"), answer) as [unknown, AssistantMessage];
    expect(offeredRight(plain)).toBeUndefined();
    const [request] = addReply([], { kind: "rights_request", text: "…", citations: [], right: "erasure" }) as [AssistantMessage];
    expect(offeredRight(request)).toBe("erasure");
    const [offer] = addReply([], { ...answer, intake: { right: "access", site: "altoros", fields: ["email"] } }) as [AssistantMessage];
    expect(offeredRight(offer)).toBe("access");
  });
});

describe("parseAskReply", () => {
  it("accepts the API's reply shape", () => {
    expect(parseAskReply({ ...answer, right: "access" })).toEqual({ ...answer, right: "access" });
  });

  it("refuses unknown kinds and drops malformed citations and rights", () => {
    expect(parseAskReply({ kind: "shout", text: "x", citations: [] })).toBeUndefined();
    expect(parseAskReply({ kind: "answer", text: 3, citations: [] })).toBeUndefined();
    const reply = parseAskReply({ kind: "answer", text: "x", citations: [citation, { title: 1 }], right: "everything" });
    expect(reply).toEqual({ kind: "answer", text: "x", citations: [citation] });
  });
});

describe("sessionStorage", () => {
  it("round-trips a conversation per site and leaves errors out", () => {
    const storage = memoryStorage();
    const messages = addError(setFeedback(addReply(addQuestion([], "q"), answer), 2, "up"), "offline", "again?");
    saveConversation(storage, "altoros", messages);
    expect([...storage.items.keys()]).toEqual([storageKey("altoros")]);
    expect(loadConversation(storage, "altoros")).toEqual(messages.slice(0, 2));
    expect(loadConversation(storage, "altexsoft")).toEqual([]);
  });

  it("keeps only the newest messages", () => {
    const storage = memoryStorage();
    let messages = addQuestion([], "first");
    for (let i = 0; i < MAX_STORED_MESSAGES + 5; i++) messages = addQuestion(messages, `q${i}`);
    saveConversation(storage, "s", messages);
    const loaded = loadConversation(storage, "s");
    expect(loaded).toHaveLength(MAX_STORED_MESSAGES);
    expect(loaded.at(-1)).toEqual(messages.at(-1));
  });

  it("ignores stored data that is not a conversation, and stores nothing without storage", () => {
    const storage = memoryStorage();
    storage.setItem(storageKey("s"), "{not json");
    expect(loadConversation(storage, "s")).toEqual([]);
    storage.setItem(
      storageKey("s"),
      JSON.stringify({
        messages: [
          { id: 1, role: "visitor" },
          { id: "2", role: "visitor", text: "x" },
        ],
      }),
    );
    expect(loadConversation(storage, "s")).toEqual([]);
    expect(loadConversation(undefined, "s")).toEqual([]);
    expect(() => saveConversation(undefined, "s", addQuestion([], "q"))).not.toThrow();
  });

  it("removes the key when the conversation is empty", () => {
    const storage = memoryStorage();
    saveConversation(storage, "s", addQuestion([], "q"));
    saveConversation(storage, "s", []);
    expect(storage.items.size).toBe(0);
  });
});

describe("speakable", () => {
  it("reads Markdown as words: no link targets, markers or emphasis", () => {
    expect(speakable("**We keep** [chat logs](https://x.example/p) for 30 days [1].")).toBe("We keep chat logs for 30 days.");
  });

  it("cuts long answers at a word", () => {
    const spoken = speakable("word ".repeat(200), 50);
    expect(spoken.length).toBeLessThanOrEqual(51);
    expect(spoken.endsWith("word…")).toBe(true);
  });
});
