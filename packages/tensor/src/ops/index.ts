export * from './creation';
export * from './matmul';
export * from './elementwise';
export * from './reduce';
export * from './shape-ops';
export * from './softmax';
export * from './inplace';
export * from './expr';
export type { Operand } from './operands';
