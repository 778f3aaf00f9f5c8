/** A static file server on 127.0.0.1 for built pages: the demo page and the browser tests. */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

/**
 * The headers that make a page cross-origin isolated, so it may share WebAssembly memory with
 * workers (SharedArrayBuffer): vectorized then runs its threaded build.
 */
export const CROSS_ORIGIN_ISOLATION = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/**
 * Serves `dir` (index.html at /) on 127.0.0.1:`port` (0: any free port), with `headers` on every
 * response; resolves once listening.
 */
export async function serveStatic(dir: string, port = 0, headers: Record<string, string> = {}): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    try {
      const path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
      const file = resolve(join(root, path === "/" ? "index.html" : path));
      if (!file.startsWith(root + sep)) throw new Error("outside the root");
      const body = readFileSync(file);
      response.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", done);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
