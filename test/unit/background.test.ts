import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runInBackground } from '../../src/workers/background';

describe('workers run at a lower CPU priority than the extension host (Linux)', () => {
  it('lowers the worker thread only, never the main thread', async function () {
    if (process.platform !== 'linux') this.skip();
    const mainBefore = os.getPriority();
    const expected = Math.max(mainBefore, 19);
    const module = path.join(__dirname, '..', '..', 'src', 'workers', 'background.js');
    const code = `const { parentPort } = require('node:worker_threads');
      const nice = require(${JSON.stringify(module)}).runInBackground();
      const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
      parentPort.postMessage({ nice, tid });`;
    const worker = new Worker(code, { eval: true });
    const { nice, tid } = await new Promise<{ nice: number; tid: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // What the kernel says about that thread (field 19 of /proc/<pid>/task/<tid>/stat is its nice value).
    const stat = fs.readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
    const kernelNice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    await worker.terminate();
    assert.equal(nice, expected);
    assert.equal(kernelNice, expected);
    assert.equal(os.getPriority(), mainBefore, 'the main thread keeps its priority');
    assert.equal(runInBackground(), undefined, 'called on the main thread, it changes nothing');
    assert.equal(os.getPriority(), mainBefore);
  });
});
