import { describe, expect, it } from "vitest";
import { highlightSegments, queryTerms } from "./highlight.js";

describe("queryTerms", () => {
  it("drops stop words and one-letter words, trims plurals, dedupes", () => {
    expect(queryTerms("What chat data do you keep? Cookies, cookies, a x")).toEqual(["chat", "data", "keep", "cookie"]);
  });

  it("keeps words ending in ss and short words whole", () => {
    expect(queryTerms("access gas")).toEqual(["access", "gas"]);
  });

  it("finds nothing in punctuation", () => {
    expect(queryTerms("?! --")).toEqual([]);
  });
});

describe("highlightSegments", () => {
  it("marks whole words that start with a term, ignoring case", () => {
    expect(highlightSegments("Chatbot transcripts and chat DATA.", "chat data")).toEqual([
      { text: "Chatbot", match: true },
      { text: " transcripts and ", match: false },
      { text: "chat", match: true },
      { text: " ", match: false },
      { text: "DATA", match: true },
      { text: ".", match: false },
    ]);
  });

  it("does not mark a term inside another word", () => {
    expect(highlightSegments("metadata", "data")).toEqual([{ text: "metadata", match: false }]);
  });

  it("prefers the longer term when two overlap", () => {
    expect(highlightSegments("personal data", "person personal").filter((s) => s.match)).toEqual([
      { text: "personal", match: true },
    ]);
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
    expect(highlightSegments("Données personnelles", "données").filter((s) => s.match)).toEqual([
      { text: "Données", match: true },
    ]);
  });
});
