/** Where the staff token lives: sessionStorage, so it ends with the tab and is never sent as a cookie. */
export const TOKEN_KEY = "privacy-staff-token";

export interface TokenStore {
  read(): string | null;
  write(token: string): void;
  clear(): void;
}

/** A token store over any Storage; storage that throws (privacy modes) behaves as empty. */
export function tokenStore(storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined): TokenStore {
  return {
    read() {
      try {
        return storage?.getItem(TOKEN_KEY)?.trim() || null;
      } catch {
        return null;
      }
    },
    write(token) {
      try {
        storage?.setItem(TOKEN_KEY, token.trim());
      } catch {
        /* the token then lasts only as long as the page */
      }
    },
    clear() {
      try {
        storage?.removeItem(TOKEN_KEY);
      } catch {
        /* nothing stored */
      }
    },
  };
}
