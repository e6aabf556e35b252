import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The web UI: built into dist/ui, served by `keel server` at `/` with its assets under /static-files/. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/static-files/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/ui", import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npx vite --config ui/vite.config.ts` during development, against a `keel server` on the default port.
    proxy: { "/ajax-api": "http://127.0.0.1:5000", "/api": "http://127.0.0.1:5000", "/get-artifact": "http://127.0.0.1:5000" },
  },
});
