/**
 * Each test file gets a data folder of its own (the console's lock store lives there without REDIS_URL), so no file
 * sees another's send records, and nothing is written into the checkout.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "arc-test-data-"));
