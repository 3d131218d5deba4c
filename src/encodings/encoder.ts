// Bundled as its own file (dist/encodings/encoder.js) and loaded with the first table: gpt-tokenizer's
// encoder without any table (src/core/encodings.ts gives it one).
export { GptEncoding } from 'gpt-tokenizer/GptEncoding';
export { getEncodingParams } from 'gpt-tokenizer/modelParams';
