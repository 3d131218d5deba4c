// Bundled as its own file (dist/encodings/p50k_base.js) and loaded on first use.
export { countTokens, encode, decode } from 'gpt-tokenizer/encoding/p50k_base';
