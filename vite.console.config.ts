import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL("widget/staff-console/", import.meta.url));
const outDir = fileURLToPath(new URL("dist/staff/", import.meta.url));

/**
 * The staff console: widget/staff-console/index.html built to dist/staff/, served by the app at /staff/.
 * Every asset gets a content hash, so the server can cache it for a year; only index.html must be revalidated.
 */
export default defineConfig({
  root,
  base: "/staff/",
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        entryFileNames: "assets/[name]-[hash].js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: "assets/[name]-[hash][extname]",
      },
    },
  },
});
