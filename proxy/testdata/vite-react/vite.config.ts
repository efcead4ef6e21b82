import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// On loopback; when 5173 is taken (tests start several dev servers at
// once) Vite takes the next free port and prints it.
export default defineConfig({
  // The dependency cache is in the project (see cacheDir): not user code.
  plugins: [react({ exclude: [/\/node_modules\//, /\/\.vite\//] })],
  clearScreen: false,
  // In the project, not in node_modules: tests link one node_modules
  // into several copies of this project.
  cacheDir: ".vite",
  server: { host: "127.0.0.1" },
});
