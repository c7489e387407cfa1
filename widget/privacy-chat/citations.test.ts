import { webHref } from "../../server/contract/html.js";
import { describe, expect, it } from "vitest";
import { MAX_QUOTE_LENGTH, citationCards, contactHref, excerptAround, quotedText, shortenQuote } from "./citations.js";

const base = {
  title: "Altoros Privacy Policy",
  section: "2. Data > 2.4 Retention",
  text: "We keep\n chat data   for 30 days.",
  url: "https://www.altoros.com/privacy#retention",
  score: 0.7,
};

describe("citationCards", () => {
  it("numbers the cards from 1 and flattens whitespace in the quote", () => {
    const cards = citationCards([base, { ...base, section: "Contact", text: "Write to us." }]);
    expect(cards.map((card) => card.number)).toEqual([1, 2]);
    expect(cards[0]).toMatchObject({
      title: "Altoros Privacy Policy",
      section: "2. Data > 2.4 Retention",
      quote: "We keep chat data for 30 days.",
      href: base.url,
    });
  });

  it("shows the same passage once", () => {
    expect(citationCards([base, { ...base, score: 0.5 }])).toHaveLength(1);
  });

  it("keeps a card but drops a link that is not http(s)", () => {
    const [card] = citationCards([{ ...base, url: "javascript:alert(1)" }]);
    expect(card?.href).toBeUndefined();
    expect(card?.quote).toContain("chat data");
  });
});

describe("shortenQuote", () => {
  it("leaves short passages alone and cuts long ones at a word with an ellipsis", () => {
    expect(shortenQuote("Short.")).toBe("Short.");
    const long = shortenQuote("retention ".repeat(60));
    expect(long.length).toBeLessThanOrEqual(MAX_QUOTE_LENGTH + 1);
    expect(long).toMatch(/retention…$/);
  });
});

describe("links", () => {
  it("accepts http and https only", () => {
    expect(webHref("https://example.com/a b")).toBe("https://example.com/a%20b");
    expect(webHref(" JavaScript:alert(1)")).toBeUndefined();
    expect(webHref("data:text/html,<script>")).toBeUndefined();
    expect(webHref("/relative")).toBeUndefined();
  });

  it("turns a contact into mailto: or a web link", () => {
    expect(contactHref("privacy@altoros.com")).toBe("mailto:privacy@altoros.com");
    expect(contactHref("https://altoros.com/contact")).toBe("https://altoros.com/contact");
    expect(contactHref("Altoros Norge AS, Oslo")).toBeUndefined();
  });
});

describe("excerpts centred on the answer's quote", () => {
  const passage =
    "The right to information. You may ask what we hold. The right of access lets you get a copy. " +
    "The right to be forgotten. You may ask us to delete your personal data when it is no longer needed for the purpose. " +
    "The right to object. You may object to processing based on legitimate interests at any time.";

  it("finds the quote in the answer's Markdown", () => {
    expect(quotedText("> The right to be forgotten. You may ask us\n> to delete it.\n\n— *Policy*, section “Rights” [1]")).toBe(
      "The right to be forgotten. You may ask us to delete it.",
    );
    expect(quotedText("No quote here.")).toBe("");
  });

  it("centres the excerpt on the quoted sentences and marks them", () => {
    const quote = "The right to be forgotten. You may ask us to delete your personal data when it is no longer needed for the purpose.";
    const { quote: excerpt, highlight } = excerptAround(passage, quote, 160);
    expect(highlight).toBeDefined();
    const [start, end] = highlight!;
    expect(excerpt.slice(start, end)).toBe(quote);
    expect(excerpt.startsWith("…")).toBe(true);
    expect(excerpt).not.toContain("The right to information");
    expect(excerpt.length).toBeLessThanOrEqual(160 + 2);
  });

  it("starts at the beginning, unmarked, when the passage does not hold the quote", () => {
    const { quote, highlight } = excerptAround(passage, "Something said elsewhere entirely.");
    expect(highlight).toBeUndefined();
    expect(quote.startsWith("The right to information.")).toBe(true);
  });

  it("gives every card its own excerpt from the same answer quote", () => {
    const cards = citationCards([{ ...base, text: passage }, base], quotedText("> The right to object.\n\n— *P* [1]"));
    expect(cards[0]?.highlight).toBeDefined();
    expect(cards[1]?.highlight).toBeUndefined();
  });
});
