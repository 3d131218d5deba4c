// Bundled as its own file (dist/encodings/r50k_base.js) and loaded on first use.
export { countTokens, encode, decode } from 'gpt-tokenizer/encoding/r50k_base';
