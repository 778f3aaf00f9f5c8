/**
 * Import cycles among the package's modules (ts/): prints each set of modules that import one
 * another in a circle, and exits 1 if there is one. test/import-cycles.test.ts runs the same
 * check, so a cycle fails `npm test`.
 *   tsx scripts/import-cycles.ts [--runtime]   (--runtime: ignore `import type`, which erases)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Every .ts file under `dir`, generated code included (it is part of the graph). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** The modules `file` imports or re-exports statically (relative specifiers only); with `runtimeOnly`, not those it uses only as types. */
function importsOf(file: string, runtimeOnly: boolean): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      specifier = statement.moduleSpecifier;
      const named = statement.exportClause;
      typeOnly = statement.isTypeOnly || (!!named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
    }
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) continue;
    if (runtimeOnly && typeOnly) continue;
    const target = resolve(dirname(file), specifier.text.replace(/\.js$/, ".ts"));
    found.push(target.endsWith(".ts") ? target : join(target, "index.ts"));
  }
  return found;
}

/** The strongly connected components of more than one module (or a module importing itself): Tarjan's algorithm. */
export function importCycles(root: string, runtimeOnly = false): string[][] {
  const files = sources(root);
  const edges = new Map(files.map((f) => [f, importsOf(f, runtimeOnly)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue; // outside ts/ (or a missing file: tsc reports those)
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || edges.get(v)!.includes(v)) cycles.push(component.map((f) => relative(root, f)).sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("../ts", import.meta.url));
  const cycles = importCycles(root, process.argv.includes("--runtime"));
  for (const cycle of cycles) console.log(`cycle of ${cycle.length} modules: ${cycle.join(", ")}`);
  if (cycles.length) process.exit(1);
  console.log("no import cycles in ts/");
}
