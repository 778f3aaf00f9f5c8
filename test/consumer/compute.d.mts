// Types of compute.mjs (plain JS, so that every consumer can run it as it is).
export interface Training {
  costs: number[];
  weights: number[];
  bias: number;
  proba: number[];
  predict: number[][];
  score: number;
}
export function compute(vz: unknown, npz: Uint8Array): Promise<Record<string, Record<string, unknown>>>;
export function train(vz: unknown): Training;
