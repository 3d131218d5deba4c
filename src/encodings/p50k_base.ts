// gpt-tokenizer's p50k_base table, for Node (tests, bench, the build that writes dist/encodings/p50k_base.ranks.br).
export { default as ranks } from 'gpt-tokenizer/bpeRanks/p50k_base';
