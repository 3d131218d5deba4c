import * as assert from 'node:assert/strict';
import { GlossaryMatcher, type MatcherTerm } from '../../src/core/glossary/matcher';
import { namePatterns, patternsOverlap } from '../../src/core/glossary/names';
import { entryNames } from '../../src/core/glossary/schema';
import { builtIn, syntheticEntries } from './glossaryHelpers';

const en = (...names: string[]): MatcherTerm => ({ names: names.map((text) => ({ text, kind: 'en' as const })) });

describe('glossary matcher', () => {
  const { entries, matcher } = builtIn();
  /** [matched text, entry id] for every match in text. */
  const found = (text: string, m = matcher, list = entries as ReadonlyArray<{ id: string }>) =>
    m.findAll(text).map((x) => [text.slice(x.start, x.end), list[x.term]!.id]);

  it('reports positions of every match in order', () => {
    const text = 'Use CoT, then RLHF; 再用思维链。';
    const all = matcher.findAll(text);
    assert.deepEqual(all.map((m) => [m.start, m.end, entries[m.term]!.id]), [
      [4, 7, 'chain-of-thought'],
      [14, 18, 'rlhf'],
      [22, 25, 'chain-of-thought'],
    ]);
    assert.equal(all[0]!.name, 'CoT');
    assert.equal(matcher.matchAt(text, 5)?.start, 4);
    assert.equal(matcher.matchAt(text, 3), undefined, 'the space before CoT');
    assert.equal(matcher.matchAt(text, 7)?.end, 7, 'the cursor just after a term finds it');
    assert.equal(matcher.matchAt(text, 23)?.start, 22);
  });

  it('prefers the longest name at a position', () => {
    const m = new GlossaryMatcher([en('Language Model'), en('Large Language Model'), en('Large')]);
    assert.deepEqual(m.findAll('a Large Language Model and a language model').map((x) => [x.start, x.end, x.term]), [[2, 22, 1], [29, 43, 0]]);
    assert.deepEqual(found('Large Language Models'), [['Large Language Models', 'large-language-model']]);
    assert.deepEqual(found('in-context learning'), [['in-context learning', 'in-context-learning']]);
    assert.deepEqual(found('防范提示注入'), [['提示注入', 'prompt-injection']]);
    assert.deepEqual(found('调整超参数'), [['超参数', 'hyperparameter-tuning']]);
    assert.deepEqual(found('ZeRO-Offload'), [['ZeRO-Offload', 'offload']]);
    // Hovering the inner word of a longer term shows the longer term.
    assert.equal(entries[matcher.matchAt('a Large Language Model', 10)!.term]!.id, 'large-language-model');
  });

  it('matches acronyms case-sensitively, and not inside words', () => {
    assert.deepEqual(found('CoT'), [['CoT', 'chain-of-thought']]);
    for (const text of ['cot', 'COT', 'cotton', 'a cot bed', 'CoTton', 'xCoT']) assert.deepEqual(found(text), [], text);
    assert.deepEqual(found('LLMs and an LLM'), [['LLMs', 'large-language-model'], ['LLM', 'large-language-model']]);
    assert.deepEqual(found('llm'), []);
    assert.deepEqual(found('MoE layers'), [['MoE', 'mixture-of-experts']]);
    assert.deepEqual(found('moe'), []);
    assert.deepEqual(found('GPT-4 and GPT4'), [['GPT', 'gpt']], 'GPT4 is one word');
    assert.deepEqual(found('LLM_API_KEY'), [], 'identifiers');
    assert.deepEqual(found('用CoT解题'), [['CoT', 'chain-of-thought']], 'Chinese around an acronym is a boundary');
  });

  it('keeps mixed-case names apart from common words (ReAct ≠ React, ZeRO ≠ zero, LLaMA ≠ llama\'s case)', () => {
    assert.deepEqual(found('the ReAct pattern'), [['ReAct', 'react']]);
    assert.deepEqual(found('a React component'), []);
    assert.deepEqual(found('react quickly'), []);
    assert.deepEqual(found('ZeRO stage 3'), [['ZeRO', 'zero-redundancy-optimizer']]);
    assert.deepEqual(found('zero'), []);
    assert.deepEqual(found('FLOPs'), [['FLOPs', 'flops']]);
    assert.deepEqual(found('the film flops'), []);
    // Ordinary words are case-insensitive; a capitalised word inside a name keeps its case.
    assert.deepEqual(found('GENERATIVE AI and generative AI'), [['GENERATIVE AI', 'generative-ai'], ['generative AI', 'generative-ai']]);
    assert.deepEqual(found('generative ai'), []);
  });

  it('matches English names case-insensitively with plurals and hyphen/space variants', () => {
    for (const text of ['fine-tuning', 'Fine tuning', 'FINE-TUNING', 'finetuning', 'Fine‑tuning', 'fine – tuning', 'Fine-Tuning']) {
      assert.deepEqual(found(text), [[text, 'fine-tuning']], text);
    }
    assert.deepEqual(found('Hallucinations'), [['Hallucinations', 'hallucination']]);
    assert.deepEqual(found('AI agents'), [['AI agents', 'agent']]);
    assert.deepEqual(found('vocabularies'), [['vocabularies', 'vocabulary']]);
    assert.deepEqual(found('emergent ability'), [['emergent ability', 'emergence']]);
    assert.deepEqual(found('a parameter'), [['parameter', 'parameters']]);
    assert.deepEqual(found('data sets'), [['data sets', 'data-set']]);
    assert.deepEqual(found('pre-training, pretraining, Pre training'), [['pre-training', 'pre-training'], ['pretraining', 'pre-training'], ['Pre training', 'pre-training']]);
    assert.deepEqual(found('max_tokens'), [['max_tokens', 'max-tokens']]);
    assert.deepEqual(found('tokenization'), [['tokenization', 'tokenization']], 'not "token" + rest');
    assert.deepEqual(found('tokenizer'), [['tokenizer', 'tokenization']]);
  });

  it('matches Chinese by characters, without word boundaries', () => {
    assert.deepEqual(found('请使用思维链提示来解题'), [['思维链提示', 'chain-of-thought']]);
    assert.deepEqual(found('大语言模型和大模型都是'), [['大语言模型', 'large-language-model'], ['大模型', 'large-language-model']]);
    assert.deepEqual(found('上下文学习'), [['上下文学习', 'in-context-learning']]);
    assert.deepEqual(found('上下文窗口'), [['上下文窗口', 'context-window']]);
    assert.deepEqual(found('上下文'), [['上下文', 'context']]);
    assert.deepEqual(found('KV缓存与KV 缓存'), [['KV缓存', 'kv-cache'], ['KV 缓存', 'kv-cache']]);
    assert.deepEqual(found('生成式 AI'), [['生成式 AI', 'generative-ai']], 'space between Chinese and Latin');
    assert.deepEqual(found('用Prompt攻击'), [['Prompt攻击', 'prompt-injection']]);
    assert.deepEqual(found('ＣｏＴ'), [['ＣｏＴ', 'chain-of-thought']], 'full-width letters');
  });

  it('treats names as literal text (regular-expression characters included)', () => {
    const m = new GlossaryMatcher([en('C++'), en('top-k & top-p'), en('a.b*c'), en('(x)'), en('[a-z]+'), en('$HOME'), en('a|b')]);
    const list = ['C++', 'top-k & top-p', 'a.b*c', '(x)', '[a-z]+', '$HOME', 'a|b'].map((id) => ({ id }));
    assert.deepEqual(found('C++ and top-k & top-p, a.b*c (x) [a-z]+ $HOME a|b', m, list),
      [['C++', 'C++'], ['top-k & top-p', 'top-k & top-p'], ['a.b*c', 'a.b*c'], ['(x)', '(x)'], ['[a-z]+', '[a-z]+'], ['$HOME', '$HOME'], ['a|b', 'a|b']]);
    assert.deepEqual(found('C+ c# axb*c abbbc x top-k and top-p a b', m, list), []);
    assert.deepEqual(found('Top-k & Top-p sampling'), [['Top-k & Top-p', 'top-k-top-p']]);
  });

  it('lets the higher priority win when two terms share a name', () => {
    const m = new GlossaryMatcher([{ ...en('Temperature'), priority: 0 }, { ...en('temperature'), priority: 2 }, { ...en('Temperature'), priority: 1 }]);
    assert.equal(m.findAll('temperature')[0]!.term, 1);
  });

  it('detects names that two entries would both claim', () => {
    const [react] = namePatterns('ReAct', 'en');
    const [reactLower] = namePatterns('react', 'en');
    const [cot] = namePatterns('CoT', 'abbr');
    const [cotLower] = namePatterns('cot', 'en');
    const [cotUpper] = namePatterns('COT', 'abbr');
    assert.ok(patternsOverlap(react!, reactLower!), 'case-insensitive "react" also matches "ReAct"');
    assert.ok(patternsOverlap(cot!, cotLower!));
    assert.ok(!patternsOverlap(cot!, cotUpper!), 'CoT and COT are different acronyms');
  });

  it('answers at once on a 10,000-character line and builds a 5,000-entry glossary quickly', function () {
    this.timeout(30_000);
    const sentence = 'We compare chain-of-thought prompting with few-shot examples, 然后用思维链和上下文学习, and measure LLMs on MMLU. ';
    const line = sentence.repeat(Math.ceil(10_000 / sentence.length)).slice(0, 10_000);
    matcher.matchAt(line, 9_990); // warm up
    let t = performance.now();
    const reps = 20;
    for (let i = 0; i < reps; i++) assert.ok(matcher.matchAt(line, 9_990 - (i % 5)) !== undefined || true);
    const builtInMs = (performance.now() - t) / reps;
    const all = matcher.findAll(line);
    assert.ok(all.length > 500, `${all.length} matches`);

    const big = [...entries, ...syntheticEntries(5_000)];
    t = performance.now();
    const bigMatcher = new GlossaryMatcher(big.map((e, i) => ({ names: entryNames(e), priority: i < entries.length ? 0 : 2 })));
    const buildMs = performance.now() - t;
    const userLine = `${line.slice(0, 9_000)} Custom Term ${(4321).toString(36)} Method, UT${(77).toString(36).toUpperCase()}X and ut-999-alias.`;
    t = performance.now();
    for (let i = 0; i < reps; i++) bigMatcher.matchAt(userLine, userLine.length - 3);
    const bigMs = (performance.now() - t) / reps;
    const tail = bigMatcher.findAll(userLine, 9_000).map((m) => big[m.term]!.id);
    assert.deepEqual(tail, ['user-term-4321', 'user-term-77', 'user-term-999']);
    console.log(`      hover on a 10,000-char line: ${builtInMs.toFixed(2)} ms (built-in), ${bigMs.toFixed(2)} ms (+5,000 user entries); building the 5,136-entry matcher: ${buildMs.toFixed(0)} ms, ${bigMatcher.patternCount} patterns, ${bigMatcher.nodeCount} nodes`);
    assert.ok(builtInMs < 50, `hover scan took ${builtInMs} ms`);
    assert.ok(bigMs < 50, `hover scan with 5,000 user entries took ${bigMs} ms`);
    assert.ok(buildMs < 5000, `building took ${buildMs} ms`);
  });
});
