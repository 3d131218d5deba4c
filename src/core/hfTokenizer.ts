/**
 * Exact counts for open models from their Hugging Face `tokenizer.json`, with
 * `@huggingface/tokenizers` (pure JavaScript). Runs inside a worker thread (src/workers/hfWorker.ts):
 * parsing such a file takes from a fraction of a second to several seconds.
 *
 * Counting follows the same convention as the OpenAI counts: the text as it is, with no BOS/EOS
 * added (`add_special_tokens: false`). Special tokens that the text itself contains, such as
 * `<|im_start|>` for Qwen, are recognised as the tokenizer recognises them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { ChunkCountCache, chunkPolicy, type ChunkPolicy } from './hfChunks';
import './zod';

type HfModule = typeof import('@huggingface/tokenizers', { with: { 'resolution-mode': 'require' } });

/** Real tokenizer.json files are 2–40 MB; anything far beyond is not one. */
export const MAX_TOKENIZER_FILE_BYTES = 256 * 1024 * 1024;

export type TokenizerFileProblem = 'missing' | 'directory' | 'tooLarge' | 'unreadable' | 'notJson' | 'notTokenizer' | 'unsupported' | 'countFailed';

/**
 * `message` is English, for the log; `problem` and `args` (the message's variable parts, see
 * describeTokenizerProblem in src/services/tokenizerFiles.ts) let the extension host say it in the
 * user's language.
 */
export class TokenizerFileError extends Error {
  constructor(readonly problem: TokenizerFileProblem, message: string, readonly args: string[] = []) {
    super(message);
    this.name = 'TokenizerFileError';
  }
}

const TokenizerJsonSchema = z.looseObject({
  model: z.looseObject({
    type: z.optional(z.string()),
    vocab: z.union([z.record(z.string(), z.number()), z.array(z.unknown())]),
  }),
  added_tokens: z.optional(z.array(z.looseObject({ id: z.number(), content: z.string() }))),
});

export interface LoadedTokenizer {
  readonly file: string;
  /** Whether tokenizer_config.json beside the file was read. */
  readonly withConfig: boolean;
  readonly vocabularySize: number;
  readonly loadMs: number;
  /** Whether counts are kept line by line, so that an edit encodes only the lines it changed (src/core/hfChunks.ts). */
  readonly chunking: ChunkPolicy;
  /** Tokens in `text`: line by line with a cache when `chunking.byLines`, else the whole text. */
  count(text: string): number;
  encode(text: string): number[];
}

/** `which`: the tokenizer.json itself, or the tokenizer_config.json beside it. */
function readJson(file: string, which: 'file' | 'config'): unknown {
  const what = which === 'file' ? 'the file' : 'tokenizer_config.json beside it';
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TokenizerFileError('unreadable', `cannot read ${what}: ${(e as Error).message}`, [which, (e as Error).message]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TokenizerFileError('notJson', `${what} is not valid JSON (${(e as Error).message})`, [which, (e as Error).message]);
  }
}

export function loadTokenizerFile(file: string, options: { maxBytes?: number } = {}): LoadedTokenizer {
  const started = performance.now();
  const maxBytes = options.maxBytes ?? MAX_TOKENIZER_FILE_BYTES;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new TokenizerFileError('missing', 'the file does not exist');
  }
  if (stat.isDirectory()) throw new TokenizerFileError('directory', 'this is a folder; choose the tokenizer.json file inside it');
  if (stat.size > maxBytes) {
    const [size, max] = [(stat.size / 1048576).toFixed(0), (maxBytes / 1048576).toFixed(0)];
    throw new TokenizerFileError('tooLarge', `the file is ${size} MB; a tokenizer.json is at most ${max} MB`, [size, max]);
  }
  const json = readJson(file, 'file');
  const parsed = TokenizerJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    throw new TokenizerFileError('notTokenizer', `this JSON is not a Hugging Face tokenizer.json (${where || 'top level'}: ${issue.message})`, [where, issue.message]);
  }
  const configFile = path.join(path.dirname(file), 'tokenizer_config.json');
  let config: object = {};
  let withConfig = false;
  if (fs.existsSync(configFile)) {
    const c = readJson(configFile, 'config');
    if (c && typeof c === 'object' && !Array.isArray(c)) {
      config = c;
      withConfig = true;
    }
  }
  const { Tokenizer } = require('@huggingface/tokenizers') as HfModule;
  let tokenizer: InstanceType<HfModule['Tokenizer']>;
  try {
    tokenizer = new Tokenizer(parsed.data, config);
  } catch (e) {
    throw new TokenizerFileError('unsupported', `@huggingface/tokenizers cannot use this tokenizer (${(e as Error).message})`, [(e as Error).message]);
  }
  const vocab = parsed.data.model.vocab;
  const encode = (text: string): number[] => {
    if (text.length === 0) return [];
    try {
      return tokenizer.encode(text, { add_special_tokens: false }).ids;
    } catch (e) {
      throw new TokenizerFileError('countFailed', `the tokenizer failed on this text (${(e as Error).message})`, [(e as Error).message]);
    }
  };
  const chunking = chunkPolicy(json);
  const whole = (text: string): number => encode(text).length;
  const cache = chunking.byLines ? new ChunkCountCache(whole) : undefined;
  return {
    file,
    withConfig,
    vocabularySize: Array.isArray(vocab) ? vocab.length : Object.keys(vocab).length,
    loadMs: performance.now() - started,
    chunking,
    count: cache ? (text) => cache.count(text) : whole,
    encode,
  };
}
