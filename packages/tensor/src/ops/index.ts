export * from './creation';
export * from './matmul';
