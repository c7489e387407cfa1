/** ISO 3166-1 alpha-2, all 249 assigned codes, two letters each; names come from the browser (Intl.DisplayNames). */
const ISO_3166 =
  "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/** US states and DC (ISO 3166-2:US), since which state a resident lives in decides whether CCPA applies. */
export const US_STATES: Readonly<Record<string, string>> = {
  AL: "Alabama",
  AK: "Alaska",
  AZ: "Arizona",
  AR: "Arkansas",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DE: "Delaware",
  DC: "District of Columbia",
  FL: "Florida",
  GA: "Georgia",
  HI: "Hawaii",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  IA: "Iowa",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  ME: "Maine",
  MD: "Maryland",
  MA: "Massachusetts",
  MI: "Michigan",
  MN: "Minnesota",
  MS: "Mississippi",
  MO: "Missouri",
  MT: "Montana",
  NE: "Nebraska",
  NV: "Nevada",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NY: "New York",
  NC: "North Carolina",
  ND: "North Dakota",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VT: "Vermont",
  VA: "Virginia",
  WA: "Washington",
  WV: "West Virginia",
  WI: "Wisconsin",
  WY: "Wyoming",
};

export interface Country {
  code: string;
  name: string;
}

/**
 * Every country with its name in the visitor's language, sorted for a typeahead list.
 * @example countries("de").find((c) => c.code === "DE")?.name === "Deutschland"
 */
export function countries(locale?: string): Country[] {
  const names = new Intl.DisplayNames(locale ? [locale, "en"] : ["en"], { type: "region", fallback: "code" });
  const list = (ISO_3166.match(/../g) ?? []).map((code) => ({ code, name: names.of(code) ?? code }));
  return list.sort((a, b) => a.name.localeCompare(b.name, locale));
}

/**
 * The ISO code for what the visitor typed or picked: a name from the list (any case) or the code itself.
 * @example countryCode("germany", countries("en")) === "DE"
 */
export function countryCode(typed: string, list: readonly Country[]): string | undefined {
  const wanted = typed.trim().toLocaleLowerCase();
  if (!wanted) return undefined;
  return list.find((country) => country.name.toLocaleLowerCase() === wanted || country.code.toLowerCase() === wanted)?.code;
}
