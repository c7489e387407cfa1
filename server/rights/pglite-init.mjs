// Creates an embedded database folder (PGlite's initdb) in a process of its own, `node pglite-init.mjs <folder>`:
// initdb's WebAssembly instance and file bundle take about 500 MB that the server's garbage collector gives back late
// or never (measured: 824 MB resident after creating a folder, 338 MB after opening one); here they end with the process.
import { PGlite } from "@electric-sql/pglite";

const db = await PGlite.create(process.argv[2]);
await db.close();
