import { dirname, resolve, sep } from "node:path";

/** An esbuild (tsx) transform error: what a TypeScript syntax error in a program throws. */
interface TransformFailure {
  readonly errors: ReadonlyArray<{ readonly text: string; readonly location?: { readonly file: string; readonly line: number; readonly column: number } | null }>;
}

function isTransformFailure(e: unknown): e is TransformFailure {
  return typeof e === "object" && e !== null && Array.isArray((e as { errors?: unknown }).errors);
}

const FRAME = /\(?((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/;

/** The first stack frame in the program's own files (under its folder, outside node_modules), as `file:line:col`. */
function programFrame(stack: string, programPath: string): string | undefined {
  const root = dirname(resolve(programPath)) + sep;
  const frames = stack
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .map((l) => FRAME.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[1].replace(/^file:\/\//, ""), line: m[2], col: m[3] }))
    .filter((f) => !f.file.includes(`${sep}node_modules${sep}`));
  const own = frames.find((f) => f.file.startsWith(root)) ?? frames[0];
  return own ? `${own.file}:${own.line}:${own.col}` : undefined;
}

/**
 * Where a program failed and why, on one line: `file:line:col: message` for a syntax
 * error (from the compiler's location) or a run-time error (from the first stack frame
 * in the program's own files); `program: message` when the error carries no location.
 */
export function describeProgramError(programPath: string, cause: unknown): string {
  if (isTransformFailure(cause) && cause.errors[0]?.location) {
    const { file, line, column } = cause.errors[0].location;
    return `${resolve(file)}:${line}:${column + 1}: ${cause.errors[0].text}`;
  }
  if (!(cause instanceof Error)) return `${programPath}: ${String(cause)}`;
  // tsx rethrows esbuild's failure as a TransformError whose message lists `file:line:col: ERROR: text` (column from 0).
  const transform = cause.name === "TransformError" ? /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(cause.message) : null;
  if (transform) return `${transform[1]}:${transform[2]}:${Number(transform[3]) + 1}: ${transform[4]}`;
  const message = cause.message.split("\n")[0];
  const stack = cause.stack ?? "";
  // Node's own SyntaxError (a JavaScript program) starts its stack with `file:line`, the source line and a caret.
  const syntax = cause instanceof SyntaxError ? /^(\S.*?):(\d+)\n/.exec(stack) : null;
  if (syntax) return `${syntax[1]}:${syntax[2]}: ${message}`;
  const frame = programFrame(stack, programPath);
  return `${frame ?? programPath}: ${message}`;
}
