/** Registers, for the calling test file, a check that every test leaves `vz.memory().arrays` where it found it. */
import { afterEach, beforeEach, expect } from "vitest";
import * as vz from "../../ts/index.js";

export function expectNoLeakedArrays(): void {
  let baseline = 0;
  beforeEach(() => {
    baseline = vz.memory().arrays;
  });
  afterEach(() => {
    expect(vz.memory().arrays, "arrays left behind").toBe(baseline);
  });
}
