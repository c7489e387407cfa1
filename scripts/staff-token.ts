/** npm run staff-token: a new staff token, saved in DATA_DIR (mode 0600) for the server and printed once. */
import "./cli.js";
import path from "node:path";
import { readEnv } from "../server/env.js";
import { createStaffToken } from "../server/staff-token.js";

try {
  const env = readEnv();
  const { token, file } = await createStaffToken(env.DATA_DIR);
  const shown = path.relative(process.cwd(), file) || file;
  console.log(`New staff token (shown only this once; saved in ${shown}, readable by you only):\n\n  ${token}\n`);
  console.log(`Start or restart the server (npm start), open http://${env.HOST}:${env.PORT}/staff/ and paste it.`);
  if (env.STAFF_TOKEN) console.log("Note: STAFF_TOKEN is set in this environment and takes precedence over the saved token.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
