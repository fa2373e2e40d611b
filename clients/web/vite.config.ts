// Builds the app into ../../assets/app, which the local server serves at
// /app: fixed file names (the server includes them at compile time), no
// source maps, so the same sources always give the same bytes.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  base: "/app/",
  plugins: [react()],
  build: {
    outDir: process.env.CHORUS_APP_OUT ?? "../../assets/app",
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        entryFileNames: "app.js",
        chunkFileNames: "app-[name].js",
        assetFileNames: "app[extname]",
      },
    },
  },
});
