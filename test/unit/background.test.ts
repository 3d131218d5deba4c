import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork } from 'node:child_process';

describe('the tokenizer process runs at a lower CPU priority than the extension host (Linux)', () => {
  it('lowers every thread of the tokenizer process, V8\'s helpers included, and not its parent', async function () {
    if (process.platform !== 'linux') this.skip();
    const mainBefore = os.getPriority();
    const module = path.join(__dirname, '..', '..', 'src', 'workers', 'background.js');
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bg-')), 'child.js');
    fs.writeFileSync(script, `const nice = require(${JSON.stringify(module)}).runProcessInBackground();
      process.send({ nice }, () => setTimeout(() => {}, 60_000));`);
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      const { nice } = await new Promise<{ nice: number }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { nice: number }));
        child.once('error', reject);
      });
      const tasks = fs.readdirSync(`/proc/${child.pid}/task`);
      const niceOf = (tid: string): number => {
        const stat = fs.readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      assert.equal(nice, Math.max(mainBefore, 19));
      assert.ok(tasks.length >= 4, `${tasks.length} threads (Node starts V8's helper threads at start-up)`);
      assert.deepEqual(tasks.map(niceOf), tasks.map(() => Math.max(mainBefore, 19)));
      assert.equal(os.getPriority(), mainBefore, 'the parent keeps its priority');
    } finally {
      child.kill();
      fs.rmSync(path.dirname(script), { recursive: true, force: true });
    }
  });
});
