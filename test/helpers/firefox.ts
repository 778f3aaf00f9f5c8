/**
 * Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (playwright-core cannot
 * drive a stock Firefox: it needs its own patched builds). Headless, with a fresh profile that
 * puppeteer creates and removes.
 */
import { writeFileSync } from "node:fs";
import puppeteer, { type Page } from "puppeteer-core";
import type { BrowserSession } from "./browser_session.js";

/** Runs `fn` with a page in a fresh headless Firefox ESR; closes the browser afterwards. */
export async function withFirefox<T>(fn: (session: BrowserSession) => Promise<T>): Promise<T> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    timeout: 120_000,
    protocolTimeout: 300_000,
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1040, height: 900 });
    return await fn(session(page, await browser.version()));
  } finally {
    await browser.close();
  }
}

function session(page: Page, version: string): BrowserSession {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warn") problems.push(`console.${message.type()}: ${message.text()}`);
  });
  return {
    version,
    goto: async (url) => void (await page.goto(url, { timeout: 120_000 })),
    // Through JSON, as the Node side's results are.
    evaluate: async (expression) => JSON.parse((await page.evaluate(`JSON.stringify(${expression}) ?? "null"`)) as string),
    waitFor: async (expression, timeoutMs) => void (await page.waitForFunction(expression, { timeout: timeoutMs, polling: 100 })),
    select: async (selector, value) => void (await page.select(selector, value)),
    fill: (selector, text) => page.locator(selector).fill(text),
    click: (selector) => page.click(selector),
    screenshot: async (path) => writeFileSync(path, await page.screenshot({ fullPage: true })),
    problems: () => problems,
  };
}
