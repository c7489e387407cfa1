/**
 * The wire contract: what the API accepts and answers, defined once. The server validates and documents with the
 * schemas; the widget and the console import types from here and values only from ./constants.js, ./errors.js and
 * ./html.js, which import nothing (tests/contract-imports.test.ts holds them to that).
 */
export * from "./constants.js";
export { ERRORS, type ErrorBody, type ErrorCode } from "./errors.js";
export * from "./schemas.js";
/** The app's routes as types, for `hc<AppType>`; a type only, so no server code reaches a client bundle. */
export type { AppType } from "../app.js";
