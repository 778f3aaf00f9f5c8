/**
 * Finds the examples the docs show: the README's `ts`/`js` code blocks and every TSDoc
 * `@example` in ts/ (the text from the tag to the next tag or the end of the comment; a fenced
 * block inside is unwrapped). Each keeps where it came from, for the test's name and messages.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

export interface Example {
  /** `README.md:12` or `ts/ops/add.ts:9 add`. */
  name: string;
  /** The line of the example's first code line in its file (1-based). */
  line: number;
  code: string;
}

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** The README's TypeScript and JavaScript code blocks (shell blocks are not examples). */
export function markdownExamples(path: string, root: string): Example[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/^```(?:ts|js|typescript|javascript)\n([\s\S]*?)^```$/gm)].map((m) => {
    const line = lineAt(text, m.index) + 1;
    return { name: `${relative(root, path)}:${line}`, line, code: m[1]! };
  });
}

/** Every `@example` in the TSDoc comments of the .ts files under `dir`. */
export function tsdocExamples(dir: string, root: string): Example[] {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.includes("generated"))
    .sort();
  return files.flatMap((file) => {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    return [...text.matchAll(/\/\*\*([\s\S]*?)\*\//g)].flatMap((comment) => {
      const start = comment.index + 3;
      const lines = comment[1]!.split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
      const firstLine = lineAt(text, start);
      // What the comment documents: the name in the declaration that follows it.
      const after = text.slice(comment.index + comment[0].length, comment.index + comment[0].length + 300);
      const symbol = /^\s*(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:static\s+)?(?:readonly\s+)?(?:get\s+|set\s+)?(?:function\*?\s+|class\s+|const\s+|let\s+|interface\s+|type\s+|enum\s+|namespace\s+|\*\s+as\s+)?\[?([\w.$]+)/.exec(after)?.[1] ?? "?";
      const examples: Example[] = [];
      for (let i = 0; i < lines.length; i++) {
        if (!/^@example\b/.test(lines[i]!)) continue;
        let end = i + 1;
        while (end < lines.length && !/^@\w/.test(lines[end]!)) end++;
        const body = lines.slice(i + 1, end);
        const fence = body.findIndex((l) => /^```/.test(l));
        const code = fence >= 0 ? body.slice(fence + 1, body.findIndex((l, k) => k > fence && /^```/.test(l))) : body;
        const line = firstLine + i + 1 + (fence >= 0 ? fence + 1 : 0);
        examples.push({ name: `${relative(root, path)}:${line} ${symbol}`, line, code: code.join("\n").replace(/\s+$/, "\n") });
      }
      return examples;
    });
  });
}
