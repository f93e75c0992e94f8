import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// The UI is served by the Tauri shell from `dist/` (a custom protocol, hence the relative
// base) and in development from a fixed port the shell's `devUrl` points at.
export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_ENV_"],
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  build: {
    // The Linux webview is WebKitGTK; Safari 15 is the oldest engine we promise to run on.
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Fonts, icons and everything else stay files inside the bundle; nothing is fetched.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One local bundle read from disk by the webview; splitting it would not make start-up faster.
    chunkSizeWarningLimit: 1500,
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : {},
  test: {
    // Pure logic runs in node; component tests opt into jsdom with a `@vitest-environment` comment.
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
