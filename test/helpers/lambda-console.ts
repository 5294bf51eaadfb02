/**
 * The console as Lambda's Node.js runtime patches it (aws/aws-lambda-nodejs-runtime-interface-client,
 * src/LogPatch.js): `console.log` is `console.info` (level INFO), and a method below the
 * function's application log level (`AWS_LAMBDA_LOG_LEVEL`, from `loggingConfig.applicationLogLevel`)
 * writes nothing, whatever its text says.
 */
export interface LambdaLogLine {
  readonly level: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
  readonly message: unknown;
}

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
type Method = "trace" | "debug" | "info" | "log" | "warn" | "error";
const METHOD_LEVEL: Readonly<Record<Method, LambdaLogLine["level"]>> = { trace: "TRACE", debug: "DEBUG", info: "INFO", log: "INFO", warn: "WARN", error: "ERROR" };

/** Runs `body` with the console patched for application log level `level`; answers the lines Lambda would keep. */
export async function underLambdaConsole(level: LambdaLogLine["level"], body: () => Promise<unknown>): Promise<LambdaLogLine[]> {
  const kept: LambdaLogLine[] = [];
  const saved = Object.fromEntries((Object.keys(METHOD_LEVEL) as Method[]).map((m) => [m, console[m]])) as Record<Method, (...args: unknown[]) => void>;
  for (const m of Object.keys(METHOD_LEVEL) as Method[]) {
    const at = METHOD_LEVEL[m];
    console[m] = LEVELS.indexOf(at) >= LEVELS.indexOf(level) ? (message: unknown) => void kept.push({ level: at, message }) : () => undefined;
  }
  try {
    await body();
  } finally {
    for (const m of Object.keys(saved) as Method[]) console[m] = saved[m];
  }
  return kept;
}
