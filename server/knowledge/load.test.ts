import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus, parseDocument } from "./load.js";

describe("parseDocument", () => {
  it("reads Markdown front matter, headings, paragraphs and list items with offsets", () => {
    const source =
      "---\ntitle: T\nurl: https://x.example/p\ncontact: a@x.example\n---\n# T\n\n## Keeping data\n\nWe keep data &amp; logs.\n\n- first item\n- second item\n";
    const doc = parseDocument("x", "/c/x/p.md", source, "h");
    expect(doc.meta).toMatchObject({ title: "T", url: "https://x.example/p", contact: "a@x.example" });
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ["heading", "T"],
      ["heading", "Keeping data"],
      ["paragraph", "We keep data & logs."],
      ["item", "first item"],
      ["item", "second item"],
    ]);
    const paragraph = doc.blocks[2]!;
    expect(source.slice(paragraph.start, paragraph.end)).toBe("We keep data &amp; logs.");
  });

  it("keeps only an http(s) url: any other is dropped and named among the missing fields", () => {
    const hostile = parseDocument("x", "/c/x/p.md", "---\ntitle: T\norganization: X\nurl: javascript:alert(1)\n---\nWe keep logs.\n", "h");
    expect(hostile.meta.url).toBeUndefined();
    expect(hostile.missing).toEqual(["url as an http(s) address"]);
    const plain = parseDocument("x", "/c/x/p.md", "---\ntitle: T\norganization: X\nurl: http://x.example/p\n---\nWe keep logs.\n", "h");
    expect(plain.meta.url).toBe("http://x.example/p");
    expect(plain.missing).toEqual([]);
  });

  it("turns HTML headings into sections, skips navigation and drops a repeated paragraph", () => {
    const html =
      "<title>Notice</title><nav>Home Shop</nav><h2>Kids</h2><p>We do not collect data from children at all, ever.</p><p>We do not collect data from children at all, ever.</p><footer>c</footer>";
    const doc = parseDocument("x", "/c/x/n.html", html, "h");
    expect(doc.meta.title).toBe("Notice");
    expect(doc.blocks.map((b) => b.text)).toEqual(["Kids", "We do not collect data from children at all, ever."]);
  });

  it("reads plain text: bare lines are headings, bullets are items", () => {
    const doc = parseDocument("x", "/c/x/p.txt", "About us\n\nWe are a shop.\n\n  • one thing;\n  • another thing.\n", "h");
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ["heading", "About us"],
      ["paragraph", "We are a shop."],
      ["item", "one thing;"],
      ["item", "another thing."],
    ]);
  });

  it("refuses broken front matter", () => {
    expect(() => parseDocument("x", "/c/x/p.md", "---\ntitle: [unclosed\n---\nText here.", "h")).toThrow(/front matter/);
  });
});

describe("loadCorpus", () => {
  it("reports a file that cannot be read by name and still loads the others", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "corpus-"));
    await mkdir(path.join(dir, "shop"));
    await writeFile(path.join(dir, "shop", "good.md"), "# Good\n\nWe keep nothing.\n");
    await writeFile(path.join(dir, "shop", "bad.txt"), Buffer.from([0xff, 0xfe, 0x41, 0xc3]));
    await writeFile(path.join(dir, "shop", "notes.pdf"), "ignored");
    const { documents, failures } = await loadCorpus(dir);
    expect(documents.map((d) => d.id)).toEqual(["shop/good.md"]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.path).toMatch(/bad\.txt$/);
    expect(failures[0]!.reason).toMatch(/encoded|decode|utf/i);
  });
});
