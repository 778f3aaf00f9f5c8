/**
 * `npm run docs`: the API reference as a static site in docs/ (TypeDoc over ts/index.ts, the
 * package's exports and their TSDoc), with the README as its guides: the text before the
 * first `##` heading is the home page, and each `##` section is a guide of its own. Fails on
 * any TypeDoc warning (a broken link, an undocumented export), so the reference stays whole.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, type TypeDocOptions } from "typedoc";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Splits the README into its introduction and one guide per `##` section, written as files for TypeDoc. */
export function writeGuides(dir: string): { readme: string; guides: string[] } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const [intro, ...sections] = readFileSync(join(root, "README.md"), "utf8").split(/^(?=## )/m);
  const readme = join(dir, "index.md");
  writeFileSync(readme, intro!);
  const guides = sections.map((section, i) => {
    const title = section.slice(3, section.indexOf("\n")).trim();
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const file = join(dir, `${String(i + 1).padStart(2, "0")}-${slug}.md`);
    // TypeDoc takes the title from the front matter; the heading itself stays in the text.
    writeFileSync(file, `---\ntitle: ${JSON.stringify(title)}\ngroup: Guides\n---\n\n${section.replace(/^## /, "# ")}`);
    return file;
  });
  return { readme, guides };
}

export async function buildDocs(out = join(root, "docs")): Promise<void> {
  const { readme, guides } = writeGuides(join(root, "target/docs-guides"));
  const options: Partial<TypeDocOptions> = {
    entryPoints: [join(root, "ts/index.ts")],
    tsconfig: join(root, "tsconfig.json"),
    out,
    name: "vectorized",
    readme,
    projectDocuments: guides,
    alwaysCreateEntryPointModule: false,
    excludeInternal: true,
    excludePrivate: true,
    sort: ["kind", "instance-first", "alphabetical-ignoring-documents"],
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    // Everything but the fields of inline object types (documented in the summary that returns them).
    requiredToBeDocumented: ["Enum", "EnumMember", "Variable", "Function", "Class", "Interface", "Method", "Accessor", "TypeAlias", "Namespace"],
    // The models' `options` are typed from their defaults; the fields are documented on *Options.
    intentionallyNotExported: ["DEFAULTS", "Settings"],
    treatWarningsAsErrors: true,
    githubPages: false,
    // No "Defined in" links: a clone's origin (a local path in CI, none at all elsewhere) is not
    // a web address, and TypeDoc warns about it.
    disableSources: true,
    hideGenerator: true,
  };
  const app = await Application.bootstrapWithPlugins(options);
  const project = await app.convert();
  if (!project) throw new Error("docs: TypeDoc could not convert the project");
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error("docs: TypeDoc reported problems (above)");
  await app.generateDocs(project, out);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error("docs: TypeDoc reported problems (above)");
  console.log(`docs: ${out}/index.html`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildDocs();
}
