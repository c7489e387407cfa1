import { defineConfig } from "vite";

/**
 * The embeddable widget: one ES module at dist/widget/widget.js so a host page needs a single script
 * tag; any chunk split off later gets a content hash and is served with a year-long cache.
 * Built as an app rather than a library so that whitespace is minified too.
 */
export default defineConfig({
  publicDir: false,
  base: "./",
  build: {
    outDir: "dist/widget",
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: "widget/privacy-chat/index.ts",
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
