/**
 * npm run train [-- --out FILE]: trains the privacy-language layer (question topics, dialog act, right, passage
 * topics) on server/language's data with the configured embedder, deterministically, and writes the model
 * (default: server/language/models/<embedder>.json, the committed copy the server looks at first).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { readEnv } from "../server/env.js";
import { embedderFromEnv } from "../server/knowledge/index.js";
import { committedModelPath, loadTrainingData } from "../server/language/index.js";
import { trainLanguageModel } from "../server/language/train.js";

const { values } = parseArgs({ options: { out: { type: "string" }, "hold-out": { type: "string" } } });
const began = performance.now();
const log = (line: string) => console.error(`[${((performance.now() - began) / 1000).toFixed(0)} s] ${line}`);
const embedder = await embedderFromEnv(readEnv(process.env), log);
const data = await loadTrainingData();
const holdOutPolicies = new Set(values["hold-out"]?.split(",").filter(Boolean) ?? []);
const model = await trainLanguageModel(data, embedder, { onProgress: log, holdOutPolicies });
const out = values.out ?? committedModelPath(embedder.info.id);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(model)}\n`);
log(`wrote ${out} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
