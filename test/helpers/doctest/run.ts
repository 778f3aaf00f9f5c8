/**
 * Runs one example as a doctest: its top-level statements in order, inside an async function
 * (examples use top-level await) with `vz` bound to the built package. Statements annotated
 * per expected.ts are rewritten to record their value or error, which is then compared; any
 * other statement that throws fails the example. TypeScript is stripped by the compiler's
 * transpileModule, so examples are checked for what they do, not type-checked.
 */
import ts from "typescript";
import { errorMismatch, readAnnotation, valueMismatch, type Expectation } from "./expected.js";

/** One failure: the example's line and what went wrong. */
export interface Failure {
  line: number;
  message: string;
}

/** The globals an example sees besides the usual ones. */
export interface Sandbox {
  vz: unknown;
  /** Stands in for fetch: examples fetch fixtures by relative URL. */
  fetch: (url: string) => Promise<Response>;
}

type Check = Expectation & { line: number };

/** `import * as vz from "vectorized"` binds the sandbox's vz; other imports become dynamic imports. */
function rewriteImports(code: string): string {
  return code
    .replace(/^import \* as vz from "vectorized";?$/gm, "")
    .replace(/^import \{([^}]*)\} from ("[^"]+");?$/gm, (_, names: string, from: string) => `const {${names.replace(/\bas\b/g, ":")}} = await __import(${from});`)
    .replace(/^import \* as (\w+) from ("[^"]+");?$/gm, (_, name: string, from: string) => `const ${name} = await __import(${from});`);
}

/** Runs an example; the failures (none when it does what it says). */
export async function runExample(source: string, firstLine: number, sandbox: Sandbox): Promise<Failure[]> {
  const code = rewriteImports(source);
  const file = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lineOf = (pos: number) => firstLine + file.getLineAndCharacterOfPosition(pos).line;
  const failures: Failure[] = [];
  const checks: Check[] = [];
  const edits: { start: number; end: number; text: string }[] = [];

  file.statements.forEach((statement, index) => {
    // The comments between this statement and the next: on its own last line, or on the lines right after.
    const next = file.statements[index + 1]?.getStart() ?? code.length;
    const ranges = ts.getTrailingCommentRanges(code, statement.end) ?? [];
    const following = (ts.getLeadingCommentRanges(code, statement.end) ?? []).filter((r) => r.pos < next && !ranges.some((t) => t.pos === r.pos));
    const comments = [...ranges, ...following].filter((r) => r.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    // Only a comment on the statement's last line or on the line after it annotates the statement.
    const endLine = file.getLineAndCharacterOfPosition(statement.end).line;
    const firstComment = comments[0];
    if (!firstComment || file.getLineAndCharacterOfPosition(firstComment.pos).line > endLine + 1) return;
    const texts = comments.map((r) => ({ text: code.slice(r.pos, r.end), column: file.getLineAndCharacterOfPosition(r.pos).character }));
    const annotation = readAnnotation(texts);
    const line = lineOf(firstComment.pos);
    if (!annotation) return;
    if ("error" in annotation) {
      failures.push({ line, message: annotation.error });
      return;
    }
    const id = checks.push({ ...annotation, line }) - 1;
    const text = code.slice(statement.getStart(), statement.end);
    if (annotation.kind === "throws") {
      edits.push({ start: statement.getStart(), end: statement.end, text: `await __doctest.throws(${id}, async () => { ${text} });` });
    } else if (ts.isExpressionStatement(statement)) {
      const e = statement.expression;
      const isLog = ts.isCallExpression(e) && e.expression.getText() === "console.log";
      const value = isLog ? `__doctest.printed(${(e as ts.CallExpression).arguments.map((a) => a.getText()).join(", ")})` : `(${e.getText()})`;
      edits.push({ start: statement.getStart(), end: statement.end, text: `__doctest.value(${id}, await (async () => ${value})());` });
    } else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && ts.isIdentifier(statement.declarationList.declarations[0]!.name)) {
      edits.push({ start: statement.end, end: statement.end, text: ` __doctest.value(${id}, ${statement.declarationList.declarations[0]!.name.text});` });
    } else {
      failures.push({ line, message: "`// =>` follows a statement that has no value (an expression, or a declaration of one name)" });
    }
  });
  if (failures.length) return failures;

  let rewritten = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) rewritten = rewritten.slice(0, edit.start) + edit.text + rewritten.slice(edit.end);
  const js = ts.transpileModule(rewritten, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;

  const results = new Map<number, { value: unknown } | { error: unknown } | "none">();
  const doctest = {
    value: (id: number, value: unknown) => results.set(id, { value }),
    throws: async (id: number, fn: () => Promise<unknown>) => {
      try {
        await fn();
        results.set(id, "none");
      } catch (error) {
        results.set(id, { error });
      }
    },
    printed: (...args: unknown[]) => args.map((a) => (typeof a === "string" ? a : String(a))).join(" "),
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  const quiet = { ...console, log: () => {} }; // examples print; the checks read what they print, the test log need not
  try {
    // Code made by new Function has no import(); the examples' imports go through this module's.
    const load = (specifier: string) => import(specifier);
    await new AsyncFunction("vz", "fetch", "console", "__doctest", "__import", js)(sandbox.vz, sandbox.fetch, quiet, doctest, load);
  } catch (error) {
    const e = error as Error;
    return [{ line: firstLine, message: `the example threw ${e?.name}: ${e?.message}\n${js}` }];
  }
  checks.forEach((check, id) => {
    const result = results.get(id);
    if (result === undefined) {
      failures.push({ line: check.line, message: "the statement never ran" });
      return;
    }
    const mismatch =
      check.kind === "throws"
        ? errorMismatch(result === "none" ? undefined : "error" in result ? result : undefined, check.text) ?? (result !== "none" && "value" in result ? "no error" : undefined)
        : result === "none" || "error" in result
          ? "threw"
          : valueMismatch(result.value, check.text);
    if (mismatch) failures.push({ line: check.line, message: mismatch });
  });
  return failures;
}
