/** The CPU kernels: plain loops over typed arrays, the reference implementation of every kernel. */
export * from './types.ts';
export * from './matmul.ts';
export * from './elementwise.ts';
export * from './reduce.ts';
export * from './gather.ts';
export * from './conv1d.ts';
export * from './charCnn.ts';
export * from './lstm.ts';
export * from './crf.ts';
export * from './mmd.ts';
export * from './dropout.ts';
export * from './kBestViterbi.ts';
