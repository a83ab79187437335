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

/**
 * One home per fact (docs/architecture.md, "Boundaries"): each fact below is written once, in its home, and imported
 * everywhere else; the lint names any other line that spells it out, and says where the home is. The scan covers the
 * console's own sources (app/, components/, lib/, proxy.ts); tests may spell a fact out to check it, and emulator/ is a
 * separate program with its own copies by design (it imports nothing from the console).
 *
 * Each fact is its own rule (`one-home/<fact>`), a no-restricted-syntax of its own: flat config gives a file one set
 * of options per rule, so one shared no-restricted-syntax could not exempt a different home for each fact.
 */
const restrictedSyntax = {
  meta: {
    type: "problem",
    docs: { description: "Like no-restricted-syntax: report every node an AST selector matches, with its message." },
    schema: {
      type: "array",
      items: {
        type: "object",
        properties: { selector: { type: "string" }, message: { type: "string" } },
        required: ["selector", "message"],
        additionalProperties: false,
      },
    },
  },
  create(context) {
    const listeners = {};
    for (const { selector, message } of context.options) {
      const earlier = listeners[selector];
      listeners[selector] = (node) => {
        earlier?.(node);
        context.report({ node, message });
      };
    }
    return listeners;
  },
};

const CONSOLE_SOURCES = ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "proxy.ts"];
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "tests/**"];
/** A string, in quotes or in a template, whose text matches `pattern` (an esquery regex, without slashes). */
const text = (pattern) => `:matches(Literal[value=/${pattern}/], TemplateElement[value.raw=/${pattern}/])`;
/** A function (declared, or a function or arrow bound to a name) whose name matches the esquery regex `/name/flags`. */
const fn = (name, flags = "") =>
  `:matches(FunctionDeclaration[id.name=/${name}/${flags}], VariableDeclarator[id.name=/${name}/${flags}] > :matches(FunctionExpression, ArrowFunctionExpression).init)`;

const facts = [
  {
    fact: "guid-pattern",
    home: ["lib/devices/ids.ts"],
    // Pending for the lead (lib/bulk is edited by others): the stored run's id packing writes its own lower-case GUID
    // pattern; give lib/devices/ids.ts a lower-case test for it to import, then drop this line.
    pending: ["lib/bulk/persistence.ts"],
    restrict: [
      {
        selector: `:matches(Literal[regex.pattern=/\\]\\{8\\}\\\\?-/], ${text("\\]\\{8\\}\\\\?-")})`,
        message: "The GUID pattern lives in lib/devices/ids.ts: import GUID_PATTERN, isGuid or isDeviceId from there.",
      },
    ],
  },
  {
    fact: "retry-after",
    home: ["lib/graph/retry-after.ts"],
    restrict: [
      {
        // A function named for Retry-After that takes the header (text) or the response it came on.
        // (Reported at the parameter's type: esquery's :has cannot follow a chain of `>`.)
        selector: `${fn("retry-?after", "i")} > Identifier.params > TSTypeAnnotation > :matches(TSStringKeyword, TSTypeReference[typeName.name=/^(Response|Headers)$/], TSUnionType:has(> TSStringKeyword))`,
        message: "Retry-After is parsed once, in lib/graph/retry-after.ts: call parseRetryAfter from there.",
      },
      {
        // Reading the header's value as a number or a date in place.
        selector: `CallExpression:matches([callee.name=/^(Number|parseInt|parseFloat)$/], [callee.object.name='Date'][callee.property.name='parse']) Literal[value=/^retry-after$/i]`,
        message: "Retry-After is parsed once, in lib/graph/retry-after.ts: call parseRetryAfter from there.",
      },
    ],
  },
  {
    fact: "graph-scopes",
    home: ["lib/auth/scopes.ts"],
    restrict: [
      {
        selector: text("^DeviceManagement[A-Za-z]+\\."),
        message: "Graph scope names live in lib/auth/scopes.ts: use SCOPE_NAMES (or the scope lists) from there.",
      },
      {
        selector: "BinaryExpression[operator=/^[!=]==?$/] > CallExpression[callee.property.name='toLowerCase'][callee.object.name=/^granted/]",
        message: "Granted scopes are matched once, by hasScope in lib/auth/scopes.ts: call it instead of comparing by hand.",
      },
    ],
  },
  {
    fact: "graph-error-words",
    home: ["lib/graph/errors.ts"],
    // Pending for the lead (lib/actions is edited by others): getMyPermissions words its own error context ("Roles /
    // Read"); move it into lib/graph/errors.ts beside the others, then drop this line.
    pending: ["lib/actions/permissions.ts"],
    restrict: [
      {
        selector: "Property[key.name='rolePermission'] > :matches(Literal, TemplateLiteral).value",
        message: "The Intune role permission each Graph call needs is worded in lib/graph/errors.ts: use its error contexts.",
      },
      {
        selector: text("^No device has this id\\."),
        message: "\"No device has this id.\" is worded in lib/graph/errors.ts: use NO_SUCH_DEVICE from there.",
      },
    ],
  },
  {
    fact: "device-action",
    home: ["lib/devices/types.ts"],
    restrict: [
      {
        selector: "TSUnionType:has(> TSLiteralType[literal.value='reset']):has(> TSLiteralType[literal.value='sync'])",
        message: "The two actions are named once, as DeviceAction in lib/devices/types.ts: use that type.",
      },
      {
        selector: "TSTypeAliasDeclaration[id.name='DeviceAction'], TSInterfaceDeclaration[id.name='DeviceAction']",
        message: "DeviceAction is declared once, in lib/devices/types.ts: import it from there.",
      },
      {
        selector: "Identifier[name=/^(BulkAction|DeviceActionKind|PendingActionKind|MonitoredAction)$/]",
        message: "This is an old name for DeviceAction (lib/devices/types.ts): use DeviceAction.",
      },
    ],
  },
  {
    fact: "reset-action-names",
    home: ["lib/devices/action-results.ts", "lib/monitor/test-helpers.ts"],
    // Pending for the lead (lib/bulk is edited by others): the fake tenant's audit record spells an action name; import
    // AUTOPILOT_RESET_AUDIT_ACTIONS there, or make it a home beside lib/monitor/test-helpers.ts, then drop this line.
    pending: ["lib/bulk/fake-tenant.test-helper.ts"],
    restrict: [
      {
        selector: text("^(factoryResetKeepEnrollmentData|automaticRedeployment)$"),
        message: "Autopilot Reset's action names are listed in lib/devices/action-results.ts: use AUTOPILOT_RESET_AUDIT_ACTIONS or its helpers.",
      },
    ],
  },
  {
    fact: "use-now",
    home: ["lib/queries/use-now.ts"],
    restrict: [
      { selector: fn("^useNow$"), message: "The browser's ticking \"now\" is useNow in lib/queries/use-now.ts: call it." },
      {
        selector: "CallExpression[callee.name='setNow'] > NewExpression[callee.name='Date'][arguments.length=0]",
        message: "The browser's ticking \"now\" is useNow in lib/queries/use-now.ts: call it instead of keeping your own.",
      },
    ],
  },
  {
    fact: "action-failure",
    home: ["lib/result.ts"],
    restrict: [
      { selector: ":matches(ClassDeclaration, ClassExpression)[id.name='ActionFailure']", message: "ActionFailure is declared once, in lib/result.ts: import it from there." },
    ],
  },
  {
    fact: "my-permissions",
    home: ["lib/auth/permissions.ts"],
    restrict: [
      {
        selector: ":matches(TSInterfaceDeclaration, TSTypeAliasDeclaration)[id.name='MyPermissions']",
        message: "MyPermissions is declared once, in lib/auth/permissions.ts: import it from there.",
      },
    ],
  },
  {
    fact: "format-duration",
    home: ["lib/monitor/pending-for.ts"],
    restrict: [{ selector: fn("^formatDuration$"), message: "formatDuration lives in lib/monitor/pending-for.ts: import it from there." }],
  },
  {
    fact: "device-list-vocabulary",
    home: ["lib/devices/types.ts"],
    restrict: [
      {
        selector: "ArrayExpression:has(> Literal[value='registered']):has(> Literal[value='notRegistered'])",
        message: "The Autopilot filter values are listed in lib/devices/types.ts: use AUTOPILOT_FILTER_VALUES.",
      },
      {
        selector: "VariableDeclarator[id.name=/^sort_?fields$/i], ArrayExpression > Literal[value='userPrincipalName'] + Literal[value='lastSyncDateTime']",
        message: "The device list's sort fields are listed in lib/devices/types.ts: use SORT_FIELDS.",
      },
    ],
  },
  {
    fact: "search-schemas",
    home: ["lib/actions/schemas.ts"],
    // Pending for the lead (lib/actions is edited by others): the directory search (people and groups) is a z.string with
    // the same sentence and its own bound; fold it into lib/actions/schemas.ts or word it apart, then drop this line.
    pending: ["lib/actions/directory.ts"],
    restrict: [
      {
        selector: "CallExpression[callee.object.name='z'][callee.property.name='string'] > ObjectExpression > Property[key.name='message'] > Literal[value='The search must be text.']",
        message: "The search schema lives in lib/actions/schemas.ts: import it from there.",
      },
      {
        selector: "CallExpression[callee.property.name='max'] > Identifier.arguments[name='CURSOR_MAX_LENGTH']",
        message: "The cursor schema lives in lib/actions/schemas.ts: import it from there.",
      },
    ],
  },
];

const oneHome = facts.map(({ fact, home, pending = [], restrict }) => ({
  name: `one home: ${fact} (${home.join(", ")})`,
  files: CONSOLE_SOURCES,
  ignores: [...home, ...pending, ...TESTS],
  rules: { [`one-home/${fact}`]: ["error", ...restrict] },
}));

/** The server reads time through one clock (docs/safety.md, "Which clock decides"). */
const SERVER_CLOCK_MESSAGE =
  "The server reads time through one clock: use serverNow() from lib/server/clock.ts, or Graph's clock for anything about a write that may still land (docs/safety.md, \"Which clock decides\").";
const serverClock = {
  name: "one clock on the server (lib/server/clock.ts)",
  files: ["lib/actions/**/*.{ts,tsx}", "lib/server/**/*.{ts,tsx}"],
  ignores: [
    "lib/server/clock.ts",
    ...TESTS,
  ],
  rules: {
    "one-home/server-clock": [
      "error",
      { selector: "MemberExpression[object.name='Date'][property.name='now']", message: SERVER_CLOCK_MESSAGE },
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: SERVER_CLOCK_MESSAGE },
    ],
  },
};

/** One send protocol (docs/safety.md, "The server decides: one send protocol"): only it calls Graph's writes. */
const SENDS_MESSAGE =
  "Only the one send protocol (lib/server/send/protocol.ts) sends a reset or a sync: call sendToDevices, which holds, reads, judges and records every device first.";
const oneSender = {
  name: "one send protocol (lib/server/send/protocol.ts)",
  files: CONSOLE_SOURCES,
  ignores: ["lib/server/send/protocol.ts", "lib/graph/**", ...TESTS],
  rules: {
    "one-home/one-sender": [
      "error",
      { selector: "ImportSpecifier[imported.name=/^(sendAutopilotReset|sendSyncDevice|sendActions)$/]", message: SENDS_MESSAGE },
    ],
  },
};

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
  { name: "one home: the rules", plugins: { "one-home": { rules: Object.fromEntries([...facts.map(({ fact }) => fact), "server-clock", "one-sender"].map((id) => [id, restrictedSyntax])) } } },
  ...oneHome,
  serverClock,
  oneSender,
];
