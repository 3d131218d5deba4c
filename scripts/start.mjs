// npm start: builds the .vsix, installs it into a local VS Code (code-server on 127.0.0.1) and
// opens the examples/ workspace. Prints the URL to open; Ctrl+C stops the server.
//   PORT=8080 npm start      (default: the first free port from 8080)
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerBin, installVsix } from '../test/harness/codeServer.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const state = path.join(root, '.cache', 'start');
const userDataDir = path.join(state, 'user-data');
const extensionsDir = path.join(state, 'extensions');
const folder = path.join(root, 'examples');

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
run(process.execPath, [path.join(root, 'scripts/package.mjs')]);
run('bash', [path.join(root, 'scripts/setup-code-server.sh')]);

for (const d of [userDataDir, extensionsDir, path.join(userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
const settingsFile = path.join(userDataDir, 'User', 'settings.json');
if (!fs.existsSync(settingsFile)) {
  fs.writeFileSync(settingsFile, JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' }, null, 2));
}
const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
await installVsix(path.join(root, `${name}-${version}.vsix`), { extensionsDir, userDataDir });

const portFree = (port) => new Promise((resolve) => {
  const s = net.createServer().once('error', () => resolve(false)).once('listening', () => s.close(() => resolve(true)));
  s.listen(port, '127.0.0.1');
});
let port = Number(process.env.PORT || 8080);
if (!process.env.PORT) while (!(await portFree(port))) port++;

const server = spawn(codeServerBin(), [
  '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, folder,
], { cwd: folder, stdio: ['ignore', 'inherit', 'inherit'] });

const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nPrompt Workbench ${version} is installed in code-server (VS Code 1.100.3).\nOpen ${url}\nPress Ctrl+C to stop.\n`);
const stop = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
