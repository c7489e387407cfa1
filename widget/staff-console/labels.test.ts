import { describe, expect, it } from "vitest";
import { datesInWords, rightLabel } from "./labels.js";

describe("labels", () => {
  it("names rights in the widget's wording, and an unknown code in words", () => {
    expect(rightLabel("opt_out_sale")).toBe("Opt out of the sale or sharing of my data");
    expect(rightLabel("enquiry")).toBe("Question for the privacy team");
    expect(rightLabel("some_new_right")).toBe("Some new right");
    expect(rightLabel("toString")).toBe("ToString");
  });

  it("writes the server's timestamps in a note as dates", () => {
    expect(datesInWords("due 2027-01-03T18:27:03.801Z -> 2027-03-03T18:27:03.801Z: archives", "en-GB")).toBe(
      "due 3 Jan 2027 → 3 Mar 2027: archives",
    );
    expect(datesInWords("no dates here")).toBe("no dates here");
  });
});
