// Bundled as its own file (dist/encodings/o200k_base.js) and loaded on first use.
export { countTokens, encode, decode, default } from 'gpt-tokenizer/encoding/o200k_base';
