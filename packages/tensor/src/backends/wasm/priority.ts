/** Engine priority of the built-in `wasm` backend: above the cpu backend's 1, so it is the default. */
export const WASM_PRIORITY = 2;
