import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// On loopback; when 5173 is taken (tests start several dev servers at
// once) Vite takes the next free port and prints it.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { host: "127.0.0.1" },
});
