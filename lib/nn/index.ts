export { Module } from './module.ts';
export { glorotUniform, normal } from './init.ts';
export { Linear } from './linear.ts';
export { Dropout } from './dropout.ts';
export { Embedding, type PretrainedCoverage } from './embedding.ts';
export { Lstm, BiLstm } from './lstm.ts';
export { CharEncoder, type CharMode, type CharEncoderConfig, type CharBatch } from './charEncoder.ts';
export { Crf, schemeConstraints, type CrfConfig } from './crf.ts';
export { Encoder, type EncoderConfig, type EncoderInput } from './encoder.ts';
