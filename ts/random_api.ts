/**
 * What `vz.random` exports: the seeded stream's public functions (random.ts also holds the
 * internal `withSeed`, which models use and users do not see).
 */
export { seed, rand, uniform, randn, type ShapeArg } from "./random.js";
