import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "emulator/**/*.test.ts", "tests/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/setup/data-dir.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
