// gpt-tokenizer's o200k_base table, for Node (tests, bench, the build that writes dist/encodings/o200k_base.ranks.br).
export { default as ranks } from 'gpt-tokenizer/bpeRanks/o200k_base';
