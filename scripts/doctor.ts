/** npm run doctor: checks the configuration without starting the server; exit code 1 when a check fails. */
import "./cli.js";
import { formatResult, runDoctor } from "../server/doctor/index.js";

const results = await runDoctor();
for (const result of results) console.log(formatResult(result));
const failed = results.filter((result) => result.status === "fail").length;
const warned = results.filter((result) => result.status === "warn").length;
console.log(failed ? `\n${failed} check(s) failed, ${warned} warning(s).` : `\nNo failures${warned ? `, ${warned} warning(s)` : ""}.`);
process.exit(failed ? 1 : 0);
