// gpt-tokenizer's cl100k_base table, for Node (tests, bench, the build that writes dist/encodings/cl100k_base.ranks.br).
export { default as ranks } from 'gpt-tokenizer/bpeRanks/cl100k_base';
