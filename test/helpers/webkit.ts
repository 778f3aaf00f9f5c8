/**
 * WebKitGTK's MiniBrowser (JavaScriptCore, Safari's engine), driven by Debian's WebKitWebDriver
 * over WebDriver classic (plain HTTP, a few endpoints, so no client library). MiniBrowser has no
 * headless mode: the driver runs under xvfb-run, and MiniBrowser, its child, draws there.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { poll, type BrowserSession } from "./browser_session.js";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/** WebDriver's key for an element reference in JSON. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `fn` with a page in a fresh MiniBrowser; ends the session and the driver (and its X server) afterwards. */
export async function withWebKit<T>(fn: (session: BrowserSession) => Promise<T>): Promise<T> {
  const port = await freePort();
  // Its own process group, so that xvfb-run, Xvfb and the driver are ended together.
  const driver = spawn("xvfb-run", ["-a", "-s", "-screen 0 1280x1024x24", "WebKitWebDriver", `--port=${port}`], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  driver.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  let sessionId: string | undefined;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as { value: T & { error?: string; message?: string } };
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value.error}: ${json.value.message}`);
    return json.value;
  }
  const on = <T>(method: string, path: string, body?: unknown) => call<T>(method, `/session/${sessionId}${path}`, body);
  const element = async (selector: string) => (await on<Record<string, string>>("POST", "/element", { using: "css selector", value: selector }))[ELEMENT]!;
  // Through JSON, as the Node side's results are (WebDriver would turn undefined into null).
  const evaluate = async <T>(expression: string) => JSON.parse(await on<string>("POST", "/execute/sync", { script: `return JSON.stringify(${expression}) ?? "null";`, args: [] })) as T;

  try {
    await poll(
      async () => {
        if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode}): ${log}`);
        return fetch(`${base}/status`).then((r) => r.ok, () => false);
      },
      60_000,
      "WebKitWebDriver to listen",
    );
    const created = await call<{ sessionId: string; capabilities: { browserName: string; browserVersion: string } }>("POST", "/session", {
      capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
    });
    sessionId = created.sessionId;
    await on("POST", "/timeouts", { script: 300_000, pageLoad: 120_000, implicit: 0 });
    await on("POST", "/window/rect", { width: 1040, height: 900 }).catch(() => undefined); // a size hint; not every window manager-less display honours it
    return await fn({
      version: `${created.capabilities.browserName} ${created.capabilities.browserVersion}`,
      goto: async (url) => void (await on("POST", "/url", { url })),
      evaluate,
      waitFor: (expression, timeoutMs) => poll(async () => Boolean(await evaluate(expression)), timeoutMs, expression),
      // Clicking an <option> selects it and fires the select's change event, as a user's pick does.
      select: async (selector, value) => void (await on("POST", `/element/${await element(`${selector} option[value="${value}"]`)}/click`, {})),
      fill: async (selector, text) => {
        const id = await element(selector);
        await on("POST", `/element/${id}/clear`, {});
        await on("POST", `/element/${id}/value`, { text });
      },
      click: async (selector) => void (await on("POST", `/element/${await element(selector)}/click`, {})),
      screenshot: async (path) => writeFileSync(path, Buffer.from(await on<string>("GET", "/screenshot"), "base64")),
      problems: () => [], // WebDriver classic does not report the console; the pages report their own errors
    });
  } finally {
    if (sessionId) await on("DELETE", "").catch(() => undefined);
    try {
      process.kill(-driver.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
