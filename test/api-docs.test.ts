/**
 * The API reference stays whole: every symbol the package exports (namespaces' members
 * included) has TSDoc with a summary and an `@example` (which doctest.test.ts runs), and every
 * exported function an `@param` for each parameter; and `npm run docs` (scripts/docs.ts,
 * TypeDoc, failing on any warning) builds the site with a guide per README section.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildDocs } from "../scripts/docs.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** What each export's TSDoc lacks, by the export's path (`io.readNpy`). */
function missingDocs(): Record<string, string[]> {
  const entry = join(root, "ts/index.ts");
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const missing: Record<string, string[]> = {};
  const visit = (exported: ts.Symbol, prefix: string) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = prefix + exported.getName();
    const declaration = symbol.declarations?.[0];
    if (declaration && ts.isSourceFile(declaration)) {
      checker.getExportsOfModule(symbol).forEach((member) => visit(member, `${name}.`));
      return;
    }
    const lacks: string[] = [];
    const tags = symbol.getJsDocTags(checker);
    if (tags.some((t) => t.name === "internal")) return; // not in the reference (excludeInternal, stripInternal)
    if (!ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()) lacks.push("a summary");
    if (!tags.some((t) => t.name === "example")) lacks.push("an @example");
    // The parameters of the signatures users see (the overloads, or else the one implementation),
    // each documented on one of them.
    const functions = (symbol.declarations ?? []).filter(ts.isFunctionDeclaration);
    const signatures = functions.some((d) => !d.body) ? functions.filter((d) => !d.body) : functions;
    const params = signatures.flatMap((d) => d.parameters);
    const documented = new Set(params.filter((p) => ts.getJSDocParameterTags(p).length).map((p) => p.name.getText()));
    for (const name of new Set(params.map((p) => p.name.getText()))) if (!documented.has(name)) lacks.push(`@param ${name}`);
    if (lacks.length) missing[name] = lacks;
  };
  const index = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  checker.getExportsOfModule(index).forEach((e) => visit(e, ""));
  return missing;
}

describe("the API reference", () => {
  it("documents every export: a summary, an @example, and every function's @params", () => {
    expect(missingDocs()).toEqual({});
  });

  it("npm run docs builds the site with TypeDoc (no warnings), the README's sections as guides", async () => {
    const out = mkdtempSync(join(tmpdir(), "vectorized-docs-"));
    try {
      await buildDocs(out);
      const sections = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
      const guides = readdirSync(join(out, "documents"));
      expect(guides).toHaveLength(sections.length);
      const unescape = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      const titles = guides.map((g) => unescape(/<title>([^<|]+)/.exec(readFileSync(join(out, "documents", g), "utf8"))![1]!.trim()));
      expect(titles.sort()).toEqual(sections.sort());
      for (const page of ["index.html", "functions/add.html", "classes/NDArray.html", "classes/LogisticRegression.html", "modules/io.html"]) {
        expect(existsSync(join(out, page)), page).toBe(true);
      }
      // The examples are in the pages, as written.
      expect(readFileSync(join(out, "functions/add.html"), "utf8")).toContain("throws BroadcastError");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
