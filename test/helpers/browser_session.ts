/**
 * What the Firefox and WebKit tests need of a browser, whichever protocol drives it: open a
 * page, evaluate an expression in it, wait for one to hold, act on controls as a user does,
 * take a screenshot. Implemented over WebDriver BiDi (firefox.ts) and WebDriver classic (webkit.ts).
 */
export interface BrowserSession {
  /** The browser's name and version, as it reports them. */
  readonly version: string;
  goto(url: string): Promise<void>;
  /** The value of a JavaScript expression evaluated in the page, passed through JSON (undefined properties drop out). */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until the expression is truthy in the page; fails after `timeoutMs`. */
  waitFor(expression: string, timeoutMs: number): Promise<void>;
  /** Picks the option with this value in a <select>. */
  select(selector: string, value: string): Promise<void>;
  /** Replaces an input's text by typing. */
  fill(selector: string, text: string): Promise<void>;
  click(selector: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Uncaught errors and console errors or warnings seen so far, where the protocol reports them. */
  problems(): string[];
}

/** Polls `check` until it returns true; the browsers are slow on a loaded machine, so no timing is asserted. */
export async function poll(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
