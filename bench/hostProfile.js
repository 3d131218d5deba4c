// Who held the extension host's thread: a CPU profile of that thread taken in-process with
// node:inspector, plus the thread's own CPU and run-queue times from Linux's schedstat (used by
// bench/activation-suite.js).
//
// Profile timeline: sample i was taken at startTime + timeDeltas[0..i] (µs, the clock of
// process.hrtime) and stands for the time since the previous sample. Idle = the top frame is
// '(idle)' (Node marks the thread idle while it waits for events). '(program)' (native work outside
// JavaScript) and '(garbage collector)' hold the thread as JavaScript does, so they are busy.
// A task = a maximal run of consecutive busy samples.
//
// Gaps: V8 takes a sample by signalling the thread, so no sample is taken while the thread waits
// for a CPU (both cores busy with other processes or threads), sleeps in the kernel (a page fault,
// a lock), or while V8's sampling thread itself waits for a CPU. A sample stands for at most twice
// the median interval; the rest of a longer interval is "unsampled". Unsampled time is counted
// inside a task (or one of our stretches) only when the samples on both sides of it belong to it:
// the thread had work it had not finished. Which of those it was, the thread's schedstat tells
// (ThreadClock: on a CPU, waiting for one, or neither = blocked).
//
// "Ours" = a sample with a frame of the installed extension (its url contains the extension's
// folder) anywhere on its stack, unless the benchmark's own code is below it (the benchmark polls
// the status bar through the extension's API: that is the benchmark's time). V8 records a GC
// sample as '(garbage collector)' without the JavaScript stack that triggered it, so GC is never
// counted as ours; it is reported apart, and ourLongestStretchWithGc also counts GC samples that
// fall between two of ours. Work VS Code does later on our behalf (e.g. sending a status bar
// item's update to the window) has no frame of ours and is not counted as ours either.
//
// Sampling costs the profiled thread CPU time itself (a signal and a stack walk per sample): the
// thread's CPU time from schedstat is well above the profile's busy time.

'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

/** Profiles the thread it runs on (the extension host's) through an in-process inspector session. */
class HostProfiler {
  constructor() {
    this.session = new inspector.Session();
    this.session.connect();
  }

  post(method, params) {
    return new Promise((resolve, reject) => this.session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  }

  /** Starting takes ~0.1 s on the extension host (V8 records every compiled function first): do not time it. */
  async start(intervalUs = 100) {
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.post('Profiler.start');
  }

  /** Stops and returns the profile (serialised on this thread: do not time it either). */
  async stop() {
    const { profile } = await this.post('Profiler.stop');
    return profile;
  }

  dispose() {
    this.session.disconnect();
  }
}

/** Now on the profile's clock (µs). */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * This thread's time on a CPU and waiting for one (ms since it started), from
 * /proc/self/task/<tid>/schedstat, and the whole process's CPU time (all its threads: workers, V8's
 * helpers, the profiler's); `read()` is undefined where that file does not exist.
 * For the main thread tid = pid. One pread and one getrusage per call (a few µs).
 */
class ThreadClock {
  constructor() {
    this.buf = Buffer.alloc(128);
    try {
      this.fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    } catch {
      this.fd = undefined;
    }
  }

  read() {
    if (this.fd === undefined) return undefined;
    const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
    const [cpu, wait] = this.buf.toString('latin1', 0, n).split(' ').map(Number);
    const usage = process.cpuUsage();
    return { cpuMs: cpu / 1e6, waitMs: wait / 1e6, processCpuMs: (usage.user + usage.system) / 1000 };
  }

  dispose() {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * What else ran on the machine (Linux): all CPUs' busy and stolen time from /proc/stat (in ticks of
 * 10 ms, so only rough over one stall), and the CPU time of a child process's main thread found by
 * a word of its command line (the tokenizer process: where it parses the file and counts).
 * `read()` is a pread or two (a few µs); while the child is not found yet, `read()` looks for it
 * among processes that started since the last look, every 10th call.
 */
class MachineClock {
  constructor(marker) {
    this.marker = marker;
    this.buf = Buffer.alloc(4096);
    this.calls = 0;
    try {
      this.statFd = fs.openSync('/proc/stat', 'r');
      this.known = new Set(fs.readdirSync('/proc'));
    } catch {
      this.statFd = undefined;
    }
  }

  read() {
    if (this.statFd === undefined) return undefined;
    const n = fs.readSync(this.statFd, this.buf, 0, this.buf.length, 0);
    const line = this.buf.toString('latin1', 0, Math.min(n, 256)).split('\n')[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    if (this.childFd === undefined && this.calls++ % 10 === 0) this.findChild();
    let childMs;
    if (this.childFd !== undefined) {
      try {
        const m = fs.readSync(this.childFd, this.buf, 0, 128, 0);
        childMs = Number(this.buf.toString('latin1', 0, m).split(' ')[0]) / 1e6;
      } catch {
        this.closeChild();
      }
    }
    return { busyMs: (user + nice + system + irq + softirq) * 10, stealMs: steal * 10, childMs };
  }

  findChild() {
    for (const pid of fs.readdirSync('/proc')) {
      if (this.known.has(pid) || !/^\d+$/.test(pid)) continue;
      this.known.add(pid);
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue;
        if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(this.marker)) continue;
        this.childFd = fs.openSync(`/proc/${pid}/schedstat`, 'r');
        return;
      } catch {
        // ended meanwhile
      }
    }
  }

  closeChild() {
    if (this.childFd !== undefined) fs.closeSync(this.childFd);
    this.childFd = undefined;
  }

  dispose() {
    this.closeChild();
    if (this.statFd !== undefined) fs.closeSync(this.statFd);
    this.statFd = undefined;
  }
}

/** The part of a profile between fromUs and toUs (on the profile's clock). */
function trimProfile(profile, fromUs, toUs) {
  const samples = [];
  const timeDeltas = [];
  let t = profile.startTime;
  let last = fromUs;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < fromUs || t > toUs) continue;
    samples.push(profile.samples[i]);
    timeDeltas.push(t - last);
    last = t;
  }
  return { nodes: profile.nodes, startTime: fromUs, endTime: Math.min(toUs, profile.endTime), samples, timeDeltas };
}

/**
 * @param profile    a Profiler.stop profile (trimmed to the phase: trimProfile)
 * @param opts.ours  (url) => true for our extension's files
 * @param opts.bench (url) => true for the benchmark's own files (its polling and stall monitor)
 * @param opts.gaps  the stall monitor's gaps between ticks [{ ms, from, to (µs), onCpuMs?, waitingForCpuMs?,
 *                   otherThreadsCpuMs?, allCpusBusyMs?, stolenMs?, tokenizerMainThreadMs? }]:
 *                   the longest task and our longest stretch get the gap that overlaps them most
 *                   (`gap`); those for which opts.report(gap) holds come back with the profile's time
 *                   per category within them (`gaps[].profile`)
 */
function analyseProfile(profile, { ours, bench = () => false, gaps = [], report = () => true }) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cat = new Map();
  const categoryOf = (id) => {
    let c = cat.get(id);
    if (c) return c;
    const top = nodes.get(id).callFrame.functionName;
    if (top === '(idle)') c = 'idle';
    else if (top === '(garbage collector)') c = 'gc';
    else if (top === '(program)') c = 'program';
    else {
      c = 'other';
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const url = nodes.get(at).callFrame.url;
        if (!url) continue;
        if (bench(url)) { c = 'bench'; break; }
        if (ours(url)) c = 'ours';
      }
    }
    cat.set(id, c);
    return c;
  };

  const n = profile.samples.length;
  const ts = new Array(n);
  let t = profile.startTime;
  for (let i = 0; i < n; i++) ts[i] = t += profile.timeDeltas[i];
  const deltas = profile.timeDeltas.map((d) => Math.max(0, d) / 1000);
  const median = [...deltas].sort((a, b) => a - b)[Math.floor(n / 2)] ?? 0;
  const cap = 2 * median;
  const covered = deltas.map((d) => Math.min(d, cap));
  const gap = deltas.map((d, i) => d - covered[i]);
  const cats = profile.samples.map(categoryOf);

  const emptyTotals = () => ({ ours: 0, bench: 0, other: 0, program: 0, gc: 0, idle: 0, unsampled: 0 });
  const totals = emptyTotals();
  for (let i = 0; i < n; i++) {
    totals[cats[i]] += covered[i];
    totals.unsampled += gap[i];
  }
  // After the last sample.
  if (n) totals.unsampled += Math.max(0, profile.endTime - ts[n - 1]) / 1000;

  /** Longest run of consecutive samples for which inRun(i) holds, starting and ending with one for which end(i) does. */
  const longestRun = (inRun, end = inRun) => {
    let best = { ms: 0, from: 0, to: -1 };
    let from = -1;
    let ms = 0;
    let pending = 0; // time of the run's samples after its last `end` sample
    for (let i = 0; i < n; i++) {
      if (!inRun(i)) { from = -1; ms = 0; pending = 0; continue; }
      if (from < 0) {
        if (!end(i)) continue;
        from = i;
        ms = covered[i];
      } else {
        pending += gap[i] + covered[i];
        if (!end(i)) continue;
        ms += pending;
      }
      pending = 0;
      if (ms > best.ms) best = { ms, from, to: i };
    }
    return best;
  };
  const busy = (i) => cats[i] !== 'idle';
  const isOurs = (i) => cats[i] === 'ours';

  const frameLabel = (f) => {
    const file = f.url ? path.basename(f.url.replace(/^file:\/\//, '')) : '';
    return file ? `${f.functionName || '(anonymous)'} (${file}:${f.lineNumber + 1}:${f.columnNumber + 1})` : f.functionName || '(anonymous)';
  };
  // A function of Node's or a native one says little alone: name the nearest caller in a file on disk too.
  const isFile = (url) => url.startsWith('/') || url.startsWith('file://');
  const label = (id) => {
    const f = nodes.get(id).callFrame;
    let text = frameLabel(f);
    if (!isFile(f.url) && !f.functionName.startsWith('(')) {
      for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
        const g = nodes.get(at).callFrame;
        if (isFile(g.url)) { text += ` ← ${frameLabel(g)}`; break; }
      }
    }
    return text;
  };
  const stackOf = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = nodes.get(at).callFrame;
      if (f.functionName !== '(root)') frames.push(frameLabel(f));
    }
    return frames.length > 14 ? [...frames.slice(0, 10), '…', ...frames.slice(-3)] : frames;
  };
  const describe = (span, { top = false } = {}) => {
    if (span.to < span.from) return { ms: 0, sampledMs: 0, oursMs: 0, oursShare: 0, byCategoryMs: emptyTotals() };
    const byCat = emptyTotals();
    const self = new Map();
    const byNode = new Map();
    for (let i = span.from; i <= span.to; i++) {
      byCat[cats[i]] += covered[i];
      if (i > span.from) byCat.unsampled += gap[i];
      const id = profile.samples[i];
      byNode.set(id, (byNode.get(id) ?? 0) + covered[i]);
      const key = label(id);
      const e = self.get(key) ?? { ms: 0, category: cats[i] };
      e.ms += covered[i];
      self.set(key, e);
    }
    const out = {
      ms: round(span.ms),
      sampledMs: round(span.ms - byCat.unsampled),
      atMs: round((ts[span.from] - covered[span.from] * 1000 - profile.startTime) / 1000),
      oursMs: round(byCat.ours),
      oursShare: span.ms ? round(byCat.ours / span.ms, 3) : 0,
      byCategoryMs: roundAll(byCat),
    };
    if (top) {
      out.topSelf = [...self].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5).map(([fn, e]) => ({ fn, ms: round(e.ms), category: e.category }));
      const heaviest = [...byNode].sort((a, b) => b[1] - a[1])[0];
      out.heaviestStack = { ms: round(heaviest[1]), frames: stackOf(heaviest[0]) };
    }
    return out;
  };

  const gapSummary = (g) => {
    const out = { ms: round(g.ms), atMs: round((g.from - profile.startTime) / 1000) };
    if (g.onCpuMs !== undefined) {
      Object.assign(out, {
        onCpuMs: round(g.onCpuMs),
        waitingForCpuMs: round(g.waitingForCpuMs),
        // Neither on a CPU nor waiting for one: asleep in the kernel (I/O, a page fault, a lock).
        blockedMs: round(Math.max(0, g.ms - g.onCpuMs - g.waitingForCpuMs)),
        otherThreadsCpuMs: round(g.otherThreadsCpuMs),
      });
      // What else ran meanwhile (MachineClock): every CPU's busy time in 10 ms ticks, stolen time, the tokenizer's main thread.
      for (const k of ['allCpusBusyMs', 'stolenMs', 'tokenizerMainThreadMs']) if (g[k] !== undefined) out[k] = round(g[k]);
    }
    return out;
  };
  /** Time per category within [from, to] (µs). */
  const within = (from, to) => {
    const byCat = emptyTotals();
    const overlap = (a, b) => Math.max(0, Math.min(b, to) - Math.max(a, from)) / 1000;
    for (let i = 0; i < n; i++) {
      if (ts[i] < from) continue;
      const sampledFrom = ts[i] - covered[i] * 1000;
      if (sampledFrom - gap[i] * 1000 > to) break;
      byCat[cats[i]] += overlap(sampledFrom, ts[i]);
      byCat.unsampled += overlap(sampledFrom - gap[i] * 1000, sampledFrom);
    }
    const seen = Object.values(byCat).reduce((x, y) => x + y, 0);
    byCat.unsampled += Math.max(0, (to - from) / 1000 - seen); // after the last sample
    return roundAll(byCat);
  };
  const spanUs = (span) => [ts[span.from] - covered[span.from] * 1000, ts[span.to]];
  const withGap = (described, span) => {
    if (span.to < span.from) return described;
    const [from, to] = spanUs(span);
    let best;
    let bestOverlap = 0;
    for (const g of gaps) {
      const o = Math.min(g.to, to) - Math.max(g.from, from);
      if (o > bestOverlap) { best = g; bestOverlap = o; }
    }
    if (best) described.gap = gapSummary(best);
    return described;
  };
  const tasks = [longestRun(busy), longestRun(isOurs), longestRun((i) => isOurs(i) || cats[i] === 'gc', isOurs)];

  return {
    samples: n,
    spanMs: round((profile.endTime - profile.startTime) / 1000),
    medianIntervalMs: round(median),
    maxSampleGapMs: round(deltas.reduce((x, y) => Math.max(x, y), 0)),
    totalsMs: roundAll(totals),
    longestTask: withGap(describe(tasks[0], { top: true }), tasks[0]),
    ourLongestStretch: withGap(describe(tasks[1]), tasks[1]),
    ourLongestStretchWithGc: withGap(describe(tasks[2]), tasks[2]),
    gaps: gaps.filter(report).map((g) => ({ ...gapSummary(g), profile: within(g.from, g.to) })),
  };
}

const round = (x) => Math.round(x * 1000) / 1000;
const roundAll = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));

/**
 * CPU time (ms, all threads) of each child process of this one whose command line contains
 * `marker`, by process id; undefined without /proc. A child that ended meanwhile is left out.
 */
function childProcessCpuTimes(marker) {
  const out = new Map();
  for (const proc of processes()) {
    try {
      if (Number(proc.stat[1]) !== process.pid || !proc.cmdline().includes(marker)) continue;
      let ns = 0;
      for (const tid of fs.readdirSync(`/proc/${proc.pid}/task`)) ns += Number(fs.readFileSync(`/proc/${proc.pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
      out.set(proc.pid, ns / 1e6);
    } catch {
      // it ended meanwhile
    }
  }
  return fs.existsSync('/proc/self/stat') ? out : undefined;
}

/**
 * Every process on the machine: its id, the fields of /proc/<pid>/stat after the command name
 * (`stat[1]` is the parent's id, `stat[11]`/`stat[12]` user/system ticks), and its command line.
 * Processes that end while being read are skipped.
 */
function* processes() {
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return;
  }
  for (const pid of pids) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue;
    }
    yield { pid, stat: stat.slice(stat.lastIndexOf(')') + 2).split(' '), cmdline: () => fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1') };
  }
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** What a process is, for `cpuByKind`. */
function processKind(pid, cmd) {
  if (Number(pid) === process.pid) return 'extension host';
  if (cmd.includes('hfWorker.js')) return 'tokenizer';
  if (/chrom/i.test(cmd)) return 'browser';
  if (/language-features|languageserver|Server(Main)?\.js/i.test(cmd)) return 'language servers';
  if (/code-server|out\/node\/entry|server-main|bootstrap-fork/.test(cmd)) return 'VS Code server';
  return 'other';
}

/**
 * CPU time (ms, all threads, 10 ms resolution) of every process on the machine, by process id,
 * with what it is: this extension host, the tokenizer process, the browser, VS Code's server,
 * language servers. Read at the start and the end of a phase: who used the CPUs meanwhile.
 */
function cpuByKind() {
  const out = new Map();
  for (const proc of processes()) {
    const ms = ((Number(proc.stat[11]) + Number(proc.stat[12])) * 1000) / USER_HZ;
    if (!ms) continue;
    try {
      out.set(proc.pid, { kind: processKind(proc.pid, proc.cmdline()), ms });
    } catch {
      // it ended meanwhile
    }
  }
  return out.size ? out : undefined;
}

/**
 * CPU time spent between two `cpuByKind()` readings, summed by kind: per process, so that one that
 * started meanwhile counts from zero. One that ended meanwhile is left out (its time is lost).
 */
function cpuByKindSpent(before, after) {
  if (!before || !after) return undefined;
  const out = {};
  for (const [pid, { kind, ms }] of after) out[kind] = (out[kind] ?? 0) + ms - (before.get(pid)?.ms ?? 0);
  return out;
}

module.exports = { HostProfiler, MachineClock, ThreadClock, analyseProfile, childProcessCpuTimes, cpuByKind, cpuByKindSpent, trimProfile, nowUs };
