export type { RecurrentRules, RecurrentCellOptions, RecurrentOptions } from './options';
export { RecurrentModule, type RecurrentKind } from './module';
export { RecurrentSequence, type SequenceDims } from './sequence';
export type { RecurrentActivations, GateWeights, LSTMState } from './steps';
export * from './gru';
export { LSTM, LSTMCell, type LSTMInitialState, type LSTMResult } from './lstm';
