import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The embeddable widget: one ES module at dist/widget/widget.js so a host page needs a single script
 * tag; any chunk split off later gets a content hash and is served with a year-long cache.
 * Built as an app rather than a library so that whitespace is minified too.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  publicDir: false,
  base: "./",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("dist/widget/", import.meta.url)),
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: fileURLToPath(new URL("widget/privacy-chat/index.ts", import.meta.url)),
      preserveEntrySignatures: "exports-only",
      output: {
        format: "es",
        entryFileNames: "widget.js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: "assets/[name]-[hash][extname]",
      },
    },
  },
});
