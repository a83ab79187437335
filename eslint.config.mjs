import next from "eslint-config-next";

/**
 * The layers (docs/architecture.md, "Layers"), lowest first. A module may import from its own layer and the ones below,
 * never above; the lint fails otherwise. Type-only imports are allowed where a layer names another's vocabulary without
 * running its code (a component may name a server action's answer type; it calls it only through lib/queries).
 */
const forbid = (folders, message, { allowTypeImports = false, except = [] } = {}) => ({
  group: [...folders.map((folder) => `@/${folder}/*`), ...except.map((file) => `!@/${file}`)],
  message,
  allowTypeImports,
});
/** Graph's batch vocabulary (types and the 20-per-batch limit, no Graph client): the browser may import it. */
const GRAPH_VOCABULARY = ["lib/graph/batch-types"];

const SERVER = ["lib/server", "lib/actions"];
const CLIENT = ["lib/queries", "components", "app"];
const FEATURES = ["lib/bulk", "lib/monitor"];

const layers = [
  {
    name: "the domain vocabulary (lib/devices, lib/auth, lib/result, lib/config) imports no feature",
    files: ["lib/devices/**", "lib/auth/**", "lib/result.ts", "lib/config.ts"],
    patterns: [forbid(["lib/graph", ...FEATURES, ...SERVER, ...CLIENT, "lib/security"], "The domain vocabulary sits below every feature.")],
  },
  {
    name: "lib/graph speaks Graph for the server and knows no feature",
    files: ["lib/graph/**"],
    patterns: [forbid([...FEATURES, ...SERVER, ...CLIENT, "lib/security"], "lib/graph knows Graph and the domain vocabulary only.")],
  },
  {
    name: "the bulk run and the monitor are pure logic, independent of each other",
    files: ["lib/bulk/**"],
    patterns: [
      forbid(["lib/monitor", ...SERVER, ...CLIENT], "lib/bulk is pure logic: no server, no UI, no monitor."),
      forbid(["lib/graph"], "lib/bulk may name Graph's answer types, not call Graph.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
    ],
  },
  {
    name: "the monitor is pure logic",
    files: ["lib/monitor/**"],
    patterns: [
      forbid(["lib/bulk", ...SERVER, ...CLIENT], "lib/monitor is pure logic: no server, no UI, no bulk run."),
      forbid(["lib/graph"], "lib/monitor may name Graph's answer types, not call Graph.", { allowTypeImports: true }),
    ],
  },
  {
    name: "lib/server (locks and guards) serves the actions",
    files: ["lib/server/**"],
    patterns: [forbid(["lib/actions", "lib/monitor", ...CLIENT], "lib/server sits below the server actions.")],
  },
  {
    name: "server actions never reach the browser's code",
    files: ["lib/actions/**"],
    patterns: [forbid([...CLIENT], "Server actions do not import client code.")],
  },
  {
    name: "lib/queries is the browser's only road to the server",
    files: ["lib/queries/**"],
    patterns: [
      forbid(["lib/server", ...CLIENT.filter((f) => f !== "lib/queries")], "lib/queries calls server actions, nothing server-side directly."),
      forbid(["lib/graph"], "Graph is reached through a server action.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
    ],
  },
  // The component folders, lowest first: ui < actions < approvals, bulk < monitor, ticket < devices (the pages compose them all).
  {
    name: "components reach the server only through lib/queries",
    files: ["components/ui/**", "components/auth/**", "components/shell/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
      forbid(["components/actions", "components/approvals", "components/bulk", "components/monitor", "components/ticket", "components/devices"], "Shared UI knows no feature."),
    ],
  },
  {
    name: "components/actions: what the console says and asks about an action, shared by every feature",
    files: ["components/actions/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
      forbid(["components/approvals", "components/bulk", "components/monitor", "components/ticket", "components/devices"], "Shared action UI knows no feature."),
    ],
  },
  {
    name: "components/approvals: the approval requests, beside the bulk UI",
    files: ["components/approvals/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
      forbid(["components/bulk", "components/monitor", "components/ticket", "components/devices"], "Approvals sit below the monitor and the device pages."),
    ],
  },
  {
    name: "components/bulk",
    files: ["components/bulk/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
      forbid(["components/approvals", "components/monitor", "components/ticket", "components/devices"], "The bulk UI sits below the monitor, the ticket page and the device pages."),
    ],
  },
  {
    name: "components/monitor",
    files: ["components/monitor/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
      forbid(["components/ticket", "components/devices"], "The monitor sits beside the ticket page, below the device pages."),
    ],
  },
  {
    name: "components/ticket: devices from what a ticket names, above the bulk UI and beside the monitor",
    files: ["components/ticket/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
      forbid(["components/monitor", "components/devices"], "The ticket page sits beside the monitor, below the device pages."),
    ],
  },
  {
    name: "components/devices and the pages",
    files: ["components/devices/**", "components/providers.tsx", "app/**"],
    patterns: [
      forbid(["lib/server"], "Components never import server-only code."),
      forbid(["lib/actions", "lib/graph"], "Call the server through lib/queries.", { allowTypeImports: true, except: GRAPH_VOCABULARY }),
    ],
  },
].map(({ name, files, patterns }) => ({
  name: `layers: ${name}`,
  files: files.map((f) => (f.endsWith("**") ? `${f}/*.{ts,tsx}` : f)),
  // Tests may reach across layers to build their fixtures.
  ignores: ["**/*.test.ts", "**/*.test.tsx", "**/*.test-helper.ts"],
  rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns }] },
}));

export default [
  ...next,
  { ignores: [".next/**", ".next-*", "node_modules/**", "test-results/**", "playwright-report/**", "blob-report/**", "out/**", "tmp/**"] },
  {
    name: "no import cycles",
    files: ["**/*.{ts,tsx,mjs}"],
    settings: { "import/resolver": { typescript: { project: "./tsconfig.json" } } },
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    name: "no dead code",
    files: ["**/*.{ts,tsx}"],
    rules: { "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }] },
  },
  ...layers,
];
