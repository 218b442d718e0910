/**
 * ScaleNorm's small constant, x ↦ g·x/√(‖x‖² + ε): it keeps the gradient finite at x = 0, and tokens
 * never get near it. One value for every pass that computes the norm: tfjs's (transformer.ts), the
 * float64 scoring pass (forward64.ts), the float64 reference loops (float64-space.ts) and the fused
 * trainer's kernel (elementwise.wat, which writes the literal: a WAT module imports no constants).
 */
export const SCALE_NORM_EPSILON = 1e-12;
