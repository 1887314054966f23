#!/usr/bin/env node
// `npm start`: a real VS Code (code-server) in your browser with TCP Lens loaded from this checkout and the sample
// captures open. Prints the address; runs until Ctrl-C. Rebuild (`node esbuild.js`, or `node esbuild.js --watch` in
// another terminal) and run "Developer: Reload Window" in the browser to pick up changes.
//
//   npm start                      any free port on 127.0.0.1
//   PORT=8123 npm start            a fixed port
//   npm start -- <folder>          open another folder instead of samples/
//
// The extension is loaded as an extension under development (the `payload` part of the printed address), which is
// why the server runs with VS Code's smoke-test driver option: a built VS Code ignores a development extension in
// the address otherwise. Open exactly the printed address; the bare http://127.0.0.1:<port>/ opens VS Code without
// TCP Lens.
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { repoRoot } from './install.mjs';
import { samplesDir } from './samples.mjs';

async function main() {
  if (!existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js` first (npm start does)');
  const folder = process.argv[2] ? path.resolve(process.argv[2]) : samplesDir();
  const port = process.env.PORT ? Number(process.env.PORT) : 0;
  const server = await startCodeServer({
    folder,
    bindPort: port,
    // Keep the workbench's own output visible when asked: TCP_LENS_VERBOSE=1 npm start
    onLine: process.env.TCP_LENS_VERBOSE ? (line) => console.log(`[code-server] ${line}`) : undefined,
  });
  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: repoRoot });
  console.log(`
TCP Lens is loaded in VS Code (code-server) at:

  ${url}

Folder: ${folder}
Open a sample and hover a state such as ESTABLISHED; F1 > "TCP Lens: Show Sequence Diagram".
After rebuilding (node esbuild.js), run "Developer: Reload Window" in the browser.
Press Ctrl-C to stop.`);
  const info = await server.exited;
  if (server.isStopping()) return; // Ctrl-C: the signal handler in codeServer.mjs finishes the cleanup and exits
  console.error(`code-server exited (${JSON.stringify(info)}):\n${server.logText().split('\n').slice(-30).join('\n')}`);
  process.exit(1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
