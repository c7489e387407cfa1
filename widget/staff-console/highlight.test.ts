import { describe, expect, it } from "vitest";
import { highlightSegments, queryTerms } from "./highlight.js";

const marked = (text: string, query: string) =>
  highlightSegments(text, query)
    .filter((s) => s.match)
    .map((s) => s.text);

describe("queryTerms", () => {
  it("drops stop words and one-letter words, stems, dedupes", () => {
    expect(queryTerms("What chat data do you keep? Cookies, cookie, a x")).toEqual(["chat", "data", "keep", "cooki"]);
  });

  it("finds nothing in punctuation", () => {
    expect(queryTerms("?! --")).toEqual([]);
  });
});

describe("highlightSegments", () => {
  it("marks the words that share a stem with a query word, ignoring case", () => {
    expect(highlightSegments("Chats, transcripts and chat DATA.", "chat data")).toEqual([
      { text: "Chats", match: true },
      { text: ", transcripts and ", match: false },
      { text: "chat", match: true },
      { text: " ", match: false },
      { text: "DATA", match: true },
      { text: ".", match: false },
    ]);
  });

  it("marks inflections but not other words that merely start the same", () => {
    expect(marked("We delete, deleted and are deleting the database and metadata", "deletion of data")).toEqual([
      "delete",
      "deleted",
      "deleting",
    ]);
    expect(marked("our chatbot and the company's chats", "chat company")).toEqual(["company's", "chats"]);
  });

  it("keeps markup in the text as plain text and survives regex characters in the query", () => {
    const text = '<img src=x onerror="alert(1)"> data (c++) img';
    const segments = highlightSegments(text, "data++ ( [img");
    expect(segments.map((s) => s.text).join("")).toBe(text);
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(["img", "data", "img"]);
  });

  it("returns the text unmarked for an empty query and nothing for an empty text", () => {
    expect(highlightSegments("some text", "  ")).toEqual([{ text: "some text", match: false }]);
    expect(highlightSegments("", "data")).toEqual([]);
  });

  it("handles accented letters as word characters", () => {
    expect(marked("Données personnelles", "données")).toEqual(["Données"]);
  });
});
