// Bundled as its own file (dist/encodings/r50k_base.js) and loaded on first use.
// r50k_base's table is the first 50,256 entries of p50k_base's (p50k_base only adds runs of
// spaces; a unit test checks this), so it is built from the p50k_base bundle instead of
// shipping the same 50,000 tokens twice.
import { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { ranks } from './p50k_base';

const R50K_SIZE = 50256;
const api = GptEncoding.getEncodingApi('r50k_base', () => ranks.slice(0, R50K_SIZE));

export const countTokens = api.countTokens.bind(api);
export const encode = api.encode.bind(api);
export const decode = api.decode.bind(api);
export default api;
