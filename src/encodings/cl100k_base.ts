// Bundled as its own file (dist/encodings/cl100k_base.js) and loaded on first use.
export { countTokens, encode, decode, default } from 'gpt-tokenizer/encoding/cl100k_base';
