import { describe, expect, it } from "vitest";
import { DEFAULT_STRINGS, fill, mergeStrings } from "./strings.js";

describe("strings", () => {
  it("overrides known keys and right labels, ignoring the rest", () => {
    const merged = mergeStrings({ send: "Senden", unknown: "x", heading: 3, rights: { erasure: "Meine Daten löschen", nope: "x" } });
    expect(merged.send).toBe("Senden");
    expect(merged.heading).toBe(DEFAULT_STRINGS.heading);
    expect(merged.rights.erasure).toBe("Meine Daten löschen");
    expect(merged.rights.access).toBe(DEFAULT_STRINGS.rights.access);
    expect("unknown" in merged).toBe(false);
  });

  it("does not change the defaults it copies", () => {
    mergeStrings({ rights: { access: "changed" } });
    expect(DEFAULT_STRINGS.rights.access).toBe("Get a copy of my data");
    expect(mergeStrings(null)).toEqual(DEFAULT_STRINGS);
  });

  it("fills placeholders in order", () => {
    expect(fill("Request %s due %s", "PR-1", "soon")).toBe("Request PR-1 due soon");
  });
});
