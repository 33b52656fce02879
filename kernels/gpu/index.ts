/**
 * The GPU.js kernels: twins of kernels/cpu for matmul, the LSTM cells, CRF forward-backward and
 * Viterbi, and the Gaussian-kernel MMD. Each takes a {@link GpuContext} first and otherwise the CPU
 * twin's arguments.
 */
export * from './context.ts';
export * from './matmul.ts';
export * from './lstm.ts';
export * from './crf.ts';
export * from './mmd.ts';
