// Bundled as its own file (dist/encodings/p50k_base.js) and loaded on first use.
export { countTokens, encode, decode, default } from 'gpt-tokenizer/encoding/p50k_base';
export { default as ranks } from 'gpt-tokenizer/bpeRanks/p50k_base';
