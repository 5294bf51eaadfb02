// Runs every test/**/*.test.ts with Node's test runner, each file in its own process
// (so Pulumi mocks never leak between files), two at a time on CI's two cores.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";

function find(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "fixtures" ? [] : find(path);
    return path.endsWith(".test.ts") ? [path] : [];
  });
}

// test/engines start real servers: install them first when missing (as root, as on CI).
spawnSync("bash", ["test/engines/ensure-engines.sh"], { stdio: "inherit" });

const only = process.argv.slice(2);
const files = (only.length > 0 ? only : find("test")).sort();
const concurrency = Math.max(1, Math.min(availableParallelism(), 2));
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
