/** Data preparation: `vz.preprocessing`. */
export { StandardScaler, type StandardScalerOptions, type StandardScalerJSON } from "./standard_scaler.js";
