/**
 * `npm run demo:web`: builds the demo page (scripts/demo_web/) into demo-output/web/ and serves
 * it on 127.0.0.1 (port $PORT, else 5173, else any free one) until Ctrl+C.
 */
import { resolve } from "node:path";
import { buildDemoPage } from "./demo_web/build.js";
import { serveStatic } from "./static_server.js";

const out = resolve("demo-output/web");
await buildDemoPage(out);
const wanted = Number(process.env["PORT"] ?? 5173);
const { url } = await serveStatic(out, wanted).catch(() => serveStatic(out, 0));
console.log(`vectorized demo: the page is built in ${out}`);
console.log(`open ${url} (Ctrl+C to stop)`);
