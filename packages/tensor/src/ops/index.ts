export * from './creation';
