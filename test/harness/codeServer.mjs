// Real-VS-Code test harness: start code-server (VS Code 1.100.3 in the browser) or the bare
// VS Code server inside it, install a .vsix into it, and drive it with headless Chromium.
// Install code-server first with `bash scripts/setup-code-server.sh`.
//
// Every process started here is spawned detached (its own process group) and stopped by its
// own PID: stop() kills the whole group, waits until it is gone, and may be called twice. A
// process 'exit' handler (and SIGINT/SIGTERM/SIGHUP) kills whatever is still running.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const CODE_SERVER_DIR = path.resolve(
  process.env.CODE_SERVER_DIR || path.join(REPO_ROOT, '.cache', 'code-server'),
);
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** Path of the code-server launcher installed by scripts/setup-code-server.sh. */
export function codeServerBin() {
  const bin = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
  if (!fs.existsSync(bin)) {
    throw new Error(`code-server is not installed at ${bin}: run \`bash scripts/setup-code-server.sh\``);
  }
  return bin;
}

/** lib/vscode/out/server-main.js inside the code-server install (the bare VS Code server). */
export function vscodeServerMain() {
  const main = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  if (!fs.existsSync(main)) {
    throw new Error(`VS Code server not found at ${main}: run \`bash scripts/setup-code-server.sh\``);
  }
  return main;
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

// ------------------------------------------------------------------ process bookkeeping

/** pid -> kill function, for the exit/signal handlers. */
const live = new Map();
let handlersInstalled = false;

function killGroupNow(pid, signal = 'SIGKILL') {
  try {
    process.kill(-pid, signal);
  } catch {
    /* group already gone */
  }
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pid of live.keys()) killGroupNow(pid);
    live.clear();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      for (const pid of live.keys()) killGroupNow(pid);
      live.clear();
      // If nobody else handles the signal, behave like the default: exit.
      if (process.listenerCount(sig) <= 1) process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[sig]);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Spawns `command args` detached (own process group), keeps the last 64 KB of its output,
 * and returns { child, pid, output(), exited, stop() }.
 */
function spawnTracked(command, args, { env, cwd, name }) {
  installExitHandlers();
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (buf) => {
    out += buf.toString();
    if (out.length > 65536) out = out.slice(-65536);
    if (process.env.PW_HARNESS_VERBOSE) process.stderr.write(`[${name}] ${buf}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      out += `\nspawn error: ${err.message}`;
      resolve({ code: null, signal: null, error: err });
    });
  });
  const pid = child.pid;
  if (pid === undefined) {
    return { child, pid, output: () => out, exited, stop: async () => {} };
  }
  live.set(pid, true);
  let stopping = null;
  const stop = () => {
    if (stopping) return stopping;
    stopping = (async () => {
      killGroupNow(pid, 'SIGTERM');
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      let timedOut = false;
      await Promise.race([exited, new Promise((r) => setTimeout(() => { timedOut = true; r(); }, STOP_TIMEOUT_MS).unref())]);
      if (timedOut) killGroupNow(pid, 'SIGKILL');
      // Children of the leader (extension host, pty host, file watcher) share its group:
      // wait until the whole group is gone, then SIGKILL stragglers.
      while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(pid)) {
        killGroupNow(pid, 'SIGKILL');
        const hard = Date.now() + 5000;
        while (groupAlive(pid) && Date.now() < hard) await sleep(100);
      }
      await Promise.race([exited, sleep(2000)]);
      live.delete(pid);
    })();
    return stopping;
  };
  return { child, pid, output: () => out, exited, stop };
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once http://127.0.0.1:port/ answers; rejects if the process exits first. */
async function waitForHttp(port, proc, name, timeoutMs = START_TIMEOUT_MS, pathname = '/') {
  const deadline = Date.now() + timeoutMs;
  let exitInfo = null;
  proc.exited.then((info) => { exitInfo = info; });
  let lastErr = '';
  while (Date.now() < deadline) {
    if (exitInfo) {
      throw new Error(
        `${name} exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before http://${HOST}:${port}${pathname} answered:\n${proc.output()}`,
      );
    }
    try {
      const res = await fetch(`http://${HOST}:${port}${pathname}`, {
        redirect: 'manual',
        signal: AbortSignal.timeout(2000),
      });
      await res.arrayBuffer().catch(() => {});
      if (res.status < 500) return res.status;
      lastErr = `HTTP ${res.status}`;
    } catch (e) {
      lastErr = e.cause?.code || e.message;
    }
    await sleep(200);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${name} to answer on http://${HOST}:${port}${pathname} (last: ${lastErr}):\n${proc.output()}`,
  );
}

/**
 * Environment for a server: the caller's plus env; without a gallery (the default one,
 * open-vsx.org, cannot be reached offline) unless EXTENSIONS_GALLERY is set.
 */
function serverEnv(env = {}) {
  return { EXTENSIONS_GALLERY: '{}', ...process.env, ...env };
}

/** Writes USER_DATA_DIR/User/settings.json: workspace trust off, plus userSettings. */
function writeUserSettings(userDataDir, userSettings = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  let existing = {};
  if (fs.existsSync(file)) {
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      existing = {};
    }
  }
  const settings = {
    ...existing,
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    ...userSettings,
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  return file;
}

/** Keeps code-server from writing ~/.config/code-server/config.yaml. */
function writeCodeServerConfig(userDataDir) {
  fs.mkdirSync(userDataDir, { recursive: true });
  const file = path.join(userDataDir, 'code-server-config.yaml');
  fs.writeFileSync(file, 'auth: none\ncert: false\n');
  return file;
}

function requireDir(value, what) {
  if (!value) throw new Error(`${what} is required`);
  fs.mkdirSync(value, { recursive: true });
  return path.resolve(value);
}

// ------------------------------------------------------------------ public API

/**
 * `code-server --install-extension vsix`. Resolves with the output once it printed
 * "Extension '…' was successfully installed."; rejects with the output otherwise.
 */
export async function installVsix(vsixPath, { extensionsDir, userDataDir, env, timeoutMs = 120_000 } = {}) {
  const vsix = path.resolve(vsixPath);
  if (!fs.existsSync(vsix)) throw new Error(`installVsix: no such file ${vsix}`);
  extensionsDir = requireDir(extensionsDir, 'installVsix: extensionsDir');
  userDataDir = requireDir(userDataDir, 'installVsix: userDataDir');
  const config = writeCodeServerConfig(userDataDir);
  const proc = spawnTracked(
    codeServerBin(),
    [
      '--config', config,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--force',
      '--install-extension', vsix,
    ],
    { env: { ...process.env, ...env }, cwd: REPO_ROOT, name: 'install-extension' },
  );
  const timer = setTimeout(() => proc.stop(), timeoutMs);
  const { code, signal } = await proc.exited;
  clearTimeout(timer);
  await proc.stop();
  const output = proc.output();
  if (/Extension '.*' was successfully installed/.test(output)) return output;
  throw new Error(
    `installVsix(${vsix}) failed (exit code ${code}, signal ${signal}); output:\n${output}`,
  );
}

/**
 * Starts code-server with --auth none on 127.0.0.1:<free port>, the folder opened.
 * Returns { url, port, pid, folder, stop(), output() }; url already has ?folder=.
 */
export async function startCodeServer({
  folder,
  userDataDir,
  extensionsDir,
  env,
  userSettings,
  extraArgs = [],
  timeoutMs = START_TIMEOUT_MS,
} = {}) {
  folder = requireDir(folder, 'startCodeServer: folder');
  userDataDir = requireDir(userDataDir, 'startCodeServer: userDataDir');
  extensionsDir = requireDir(extensionsDir, 'startCodeServer: extensionsDir');
  writeUserSettings(userDataDir, userSettings);
  const config = writeCodeServerConfig(userDataDir);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc = spawnTracked(
      codeServerBin(),
      [
        '--config', config,
        '--auth', 'none',
        '--bind-addr', `${HOST}:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        ...extraArgs,
        folder,
      ],
      { env: serverEnv(env), cwd: folder, name: 'code-server' },
    );
    try {
      await waitForHttp(port, proc, 'code-server', timeoutMs, '/healthz');
    } catch (e) {
      await proc.stop();
      lastError = e;
      if (/EADDRINUSE/.test(e.message)) continue;
      throw e;
    }
    return {
      url: `http://${HOST}:${port}/?folder=${encodeURIComponent(folder)}`,
      port,
      pid: proc.pid,
      folder,
      stop: proc.stop,
      output: proc.output,
    };
  }
  throw lastError;
}

/**
 * Starts the bare VS Code server (lib/vscode/out/server-main.js) without a connection token,
 * for extension-development-host runs (the workbench takes extensionDevelopmentPath and
 * extensionTestsPath from the URL's payload: see extensionTestUrl()).
 * Returns { url, port, pid, stop(), output() }; url has ?folder= when a folder is given.
 */
export async function startVsCodeServer({
  userDataDir,
  extensionsDir,
  env,
  folder,
  userSettings,
  extraArgs = [],
  timeoutMs = START_TIMEOUT_MS,
} = {}) {
  userDataDir = requireDir(userDataDir, 'startVsCodeServer: userDataDir');
  extensionsDir = requireDir(extensionsDir, 'startVsCodeServer: extensionsDir');
  if (folder) folder = requireDir(folder, 'startVsCodeServer: folder');
  writeUserSettings(userDataDir, userSettings);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc = spawnTracked(
      process.execPath,
      [
        vscodeServerMain(),
        '--host', HOST,
        '--port', String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--disable-telemetry',
        '--disable-workspace-trust',
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        ...extraArgs,
      ],
      { env: serverEnv(env), cwd: folder || REPO_ROOT, name: 'vscode-server' },
    );
    try {
      await waitForHttp(port, proc, 'VS Code server', timeoutMs, '/');
    } catch (e) {
      await proc.stop();
      lastError = e;
      if (/EADDRINUSE/.test(e.message)) continue;
      throw e;
    }
    const base = `http://${HOST}:${port}/`;
    return {
      url: folder ? `${base}?folder=${encodeURIComponent(folder)}` : base,
      port,
      pid: proc.pid,
      folder,
      stop: proc.stop,
      output: proc.output,
    };
  }
  throw lastError;
}

/** vscode-remote://127.0.0.1:PORT/abs/path for a path on this machine. */
export function vscodeRemoteUri(port, absPath) {
  const p = path.resolve(absPath).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://${HOST}:${port}${p.startsWith('/') ? p : `/${p}`}`;
}

/**
 * The workbench URL that runs an extension-host test suite in an Extension Development Host:
 * http://127.0.0.1:PORT/?folder=FOLDER&payload=[["extensionDevelopmentPath",…],["extensionTestsPath",…]]
 */
export function extensionTestUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [
    ['extensionDevelopmentPath', vscodeRemoteUri(port, extensionDevelopmentPath)],
    ['extensionTestsPath', vscodeRemoteUri(port, extensionTestsPath)],
  ];
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://${HOST}:${port}/?${q.join('&')}`;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The program to start as Chromium, and how to remove it afterwards. Started as root (CI runs as
 * root), Chromium raises its display threads (browser, GPU and renderer compositor and IO threads)
 * to nice -8, above the extension host's nice 0 on the same CPUs; a user's browser cannot do that.
 * As root, it is started without CAP_SYS_NICE (util-linux `setpriv`, through a script in a folder
 * of its own), so that every thread stays at nice 0 or lower, as for a user. Measured with the benchmark's suite (8 alternating runs each):
 * the extension host's stalls over 16 ms while the tokenizer counts a newly opened document went
 * from 9 to 3, and the tokenizer's main thread ran 0 ms in every stall (up to 7 ms before).
 */
function browserExecutable() {
  if (process.getuid?.() !== 0 || !fs.existsSync(SETPRIV)) return { path: CHROMIUM_PATH, remove: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-chromium-'));
  const wrapper = path.join(dir, 'chromium');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${SETPRIV} --inh-caps=-sys_nice --bounding-set=-sys_nice ${JSON.stringify(CHROMIUM_PATH)} "$@"\n`, { mode: 0o755 });
  return { path: wrapper, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * playwright-core Chromium (Debian's /usr/bin/chromium), headless.
 * Returns { browser, pid, stop() }; stop() closes it and kills its PID (process group) if still alive.
 */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`bash scripts/setup-code-server.sh\` (apt-get install chromium)`);
  }
  installExitHandlers();
  const { chromium } = await import('playwright-core');
  const executable = browserExecutable();
  // launchServer() gives the browser's ChildProcess (its PID) through public API;
  // connect() then gives an ordinary Browser over the local websocket.
  const server = await chromium.launchServer({
    executablePath: executable.path,
    headless,
    args: [...CHROMIUM_ARGS, ...args],
    host: HOST,
    // Signals are handled by installExitHandlers() (kills the PID).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  }).catch((e) => {
    executable.remove();
    throw e;
  });
  const pid = server.process()?.pid;
  if (pid) live.set(pid, true);
  let browser;
  try {
    browser = await chromium.connect(server.wsEndpoint());
  } catch (e) {
    await server.kill().catch(() => {});
    if (pid) killGroupNow(pid);
    live.delete(pid);
    executable.remove();
    throw e;
  }
  let stopping = null;
  const stop = () => {
    if (stopping) return stopping;
    stopping = (async () => {
      await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
      await Promise.race([server.close().catch(() => {}), sleep(10_000)]);
      if (pid) {
        const deadline = Date.now() + 5000;
        while (pidAlive(pid) && Date.now() < deadline) await sleep(100);
        if (pidAlive(pid)) {
          killGroupNow(pid, 'SIGKILL');
          while (pidAlive(pid) && Date.now() < deadline + 5000) await sleep(100);
        }
        live.delete(pid);
      }
      executable.remove();
    })();
    return stopping;
  };
  return { browser, pid, stop };
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function isZombie(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
