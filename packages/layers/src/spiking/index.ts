export * from './leaky';
export * from './encoders';
export * from './time-distributed';
