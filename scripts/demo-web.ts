/**
 * `npm run demo:web`: builds the demo page (scripts/demo_web/) into demo-output/web/ and serves
 * it on 127.0.0.1 (port $PORT, else 5173, else any free one) until Ctrl+C, cross-origin
 * isolated (COOP/COEP), so the training runs on the threaded build.
 */
import { resolve } from "node:path";
import { buildDemoPage } from "./demo_web/build.js";
import { CROSS_ORIGIN_ISOLATION, serveStatic } from "./static_server.js";

const out = resolve("demo-output/web");
await buildDemoPage(out);
const wanted = Number(process.env["PORT"] ?? 5173);
// Cross-origin isolated, so the page's worker can share memory with threads of its own.
const { url } = await serveStatic(out, wanted, CROSS_ORIGIN_ISOLATION).catch(() => serveStatic(out, 0, CROSS_ORIGIN_ISOLATION));
console.log(`vectorized demo: the page is built in ${out}`);
console.log(`open ${url} (Ctrl+C to stop)`);
