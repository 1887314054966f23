// UI: hostile input in the Explain panel. Captures whose hostnames, process names and payload text carry HTML,
// script, `javascript:` links and mermaid directives are opened in the real workbench; every payload must be shown
// as the literal text it is, nothing may run (no dialog, no request to a beacon server started here on 127.0.0.1,
// no changed title), no element that can load or run anything may appear in the webview, the mermaid source must
// hold no directive, and the Content-Security-Policy must never have had to block anything (nothing is even tried).
//
// The corpus is built here from tool line formats the readers accept (tcpdump -A header + payload lines, ss -tanp
// rows), so every payload sits exactly where a real tool would print it.
/* global document, window -- used inside frame.evaluate(), which runs in the webview */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { after, before, test } from 'node:test';
import { clearNotifications, launchBrowser, newPage, openFile, runCommand, waitFor, waitForWorkbench } from '../harness/browser.mjs';
import { makeRunDir, startCodeServer, workbenchUrl } from '../harness/codeServer.mjs';
import { repoRoot } from '../harness/install.mjs';
import { screenshot } from './support.mjs';

const extensionPath = process.env.TCP_LENS_EXTENSION_PATH ?? repoRoot;
const HOSTS_FILE = 'hostile-hostnames-tcpdump.txt';
const SS_FILE = 'hostile-processes-ss.txt';

let beacon;
let beaconHits = [];
let wb;
const dialogs = [];
const consoleLines = [];
const beaconRequests = [];

/** The payloads, with the beacon's address in them. Hostnames cannot hold spaces (tcpdump prints one token). */
function payloads(port) {
  const B = `http://127.0.0.1:${port}/beacon`;
  const hosts = [
    `<script>fetch('${B}?h1')</script>`,
    `<script/src=${B}?h2></script>`,
    `<img/src=${B}?h3/onerror=fetch('${B}?h3e')>`,
    `<img/src=x/onerror=alert(1)>`,
    `<svg/onload=fetch('${B}?h5')>`,
    `<iframe/src=${B}?h6>`,
    `<a/href=javascript:fetch('${B}?h7')>x</a>`,
    `javascript:fetch('${B}?h8')`,
    `<style>@import'${B}?h9'</style>`,
    `<link/rel=stylesheet/href=${B}?h10>`,
    `<object/data=${B}?h11>`,
    `"><img/src=${B}?h12>`,
    `</text><foreignObject><img/src=${B}?h13></foreignObject>`,
    `%%{init:{"securityLevel":"loose"}}%%`,
    `%%{init:{'theme':'forest'}}%%`,
    `x;click;P0;call;alert(1)`,
    `x;classDef;evil;fill:#f00`,
    `a-->b;P1->>P0:injected`,
    `#quot;#60;script#62;`,
    `&lt;i&gt;&#60;b&#62;`,
    `<br>end<br/>rect`,
    `'-alert(1)-'`,
    `{{constructor.constructor('alert(1)')()}}`,
    `x\u202egpj.exe`,
  ];
  const processes = [
    `<script>fetch('${B}?p1')</script>`,
    `<img src=${B}?p2 onerror=fetch('${B}?p2e')>`,
    `<svg onload=alert(1)>`,
    `<a href=javascript:alert(1)>click me</a>`,
    `javascript:alert(document.domain)`,
    `%%{init: {'theme':'dark', 'securityLevel':'loose'}}%%`,
    `click P0 call alert()`,
    `click P1 href 'javascript:alert(1)'`,
    `classDef evil fill:#f00`,
    `style P0 fill:#f00`,
    `P0-->>P1: injected`,
    `Note over P0: injected`,
    `#quot; #60; #35; #9888;`,
    `<b>bold</b> <i>it</i>`,
    `{{7*7}} \${7*7}`,
    `end`,
  ];
  const ascii = [
    `GET /<script>fetch('${B}?a1')</script> HTTP/1.1`,
    `Referer: javascript:fetch('${B}?a2')`,
    `<img src="${B}?a3" onerror="fetch('${B}?a4')">`,
    `%%{init: {"theme": "dark"}}%%`,
    `click P1 href "javascript:alert(1)" "tip"`,
    `classDef evil fill:#f00,stroke:#0f0`,
    `P0-->>P1: injected arrow`,
    `Note over P0,P1: injected note`,
    `&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;`,
    `<!-- <script>alert(1)</script> -->`,
    `<![CDATA[<script>alert(1)</script>]]>`,
    `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
    `<meta http-equiv="refresh" content="0;url=${B}?a5">`,
    `<base href="${B}/">`,
    `<form action="${B}?a6"><button>go</button></form>`,
    `data:text/html,<script>alert(1)</script>`,
  ];
  return { hosts, processes, ascii };
}

/**
 * tcpdump -A lines (the format of tcpdump 4.99 without -n): for every hostile hostname a connection from it to
 * 10.0.0.1 port 80 — SYN, SYN-ACK, then a data segment whose payload lines are the ASCII payloads, in turn.
 */
function hostnamesCapture({ hosts, ascii }) {
  const lines = [];
  hosts.forEach((host, i) => {
    const port = 40000 + i;
    const t = `13:35:${String(10 + (i % 40)).padStart(2, '0')}.00${String(100 + i).padStart(4, '0')}`;
    const payload = [ascii[i % ascii.length], ascii[(i + 1) % ascii.length]];
    const len = payload.join('\r\n').length + 2;
    lines.push(`${t} IP ${host}.${port} > 10.0.0.1.80: Flags [S], seq 1000, win 65495, length 0`);
    lines.push(`${t} IP 10.0.0.1.80 > ${host}.${port}: Flags [S.], seq 5000, ack 1001, win 65483, length 0`);
    lines.push(`${t} IP ${host}.${port} > 10.0.0.1.80: Flags [P.], seq 1:${len + 1}, ack 1, win 64, length ${len}: HTTP`);
    lines.push('E..[..@.@.<..........p.P7X.~.........!....@....');
    lines.push(...payload);
  });
  return lines.join('\n') + '\n';
}

/**
 * ss -tanp: hostile process names (ss prints them between double quotes), a hostile endpoint, and, between the
 * rows, lines ss never prints (the reader reports them as not understood, echoing their text).
 */
function processesTable({ processes, ascii }) {
  const lines = ['State      Recv-Q Send-Q      Local Address:Port       Peer Address:Port Process'];
  processes.forEach((name, i) => {
    lines.push(`CLOSE-WAIT 1      0            10.0.0.2:8080        10.0.0.9:${50000 + i} users:(("${name}",pid=${1000 + i},fd=${3 + i}))`);
    if (i < 6) lines.push(`garbage ${ascii[i]}`);
  });
  lines.push(`ESTAB      0      0       web<script>alert(1)</script>:http   10.0.0.9:5001`);
  return lines.join('\n') + '\n';
}

before(async () => {
  beacon = http.createServer((req, res) => {
    beaconHits.push(req.url);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('beacon');
  });
  await new Promise((resolve) => beacon.listen(0, '127.0.0.1', resolve));
  const port = beacon.address().port;
  const corpus = payloads(port);
  const runDir = makeRunDir();
  const folder = path.join(runDir, 'ws');
  mkdirSync(folder);
  writeFileSync(path.join(folder, HOSTS_FILE), hostnamesCapture(corpus));
  writeFileSync(path.join(folder, SS_FILE), processesTable(corpus));
  const server = await startCodeServer({ folder, runDir, smokeTestDriver: true, settings: { 'files.simpleDialog.enable': true } });
  const browser = await launchBrowser();
  const page = await newPage(browser);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss().catch(() => undefined);
  });
  page.on('console', (m) => consoleLines.push(m.text()));
  page.context().on('request', (r) => {
    if (r.url().includes(`127.0.0.1:${port}`)) beaconRequests.push(r.url());
  });
  await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: extensionPath }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitForWorkbench(page);
  wb = { server, browser, page, folder, runDir, corpus, port };
});

after(async () => {
  if (wb) {
    await wb.browser.close().catch(() => undefined);
    await wb.server.stop();
    rmSync(wb.runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  await new Promise((resolve) => beacon?.close(resolve) ?? resolve());
});

// ---------------------------------------------------------------------------------------------------------------

function commandTitle(id) {
  const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const nls = JSON.parse(readFileSync(path.join(extensionPath, 'package.nls.json'), 'utf8'));
  const command = manifest.contributes.commands.find((c) => c.command === id);
  assert.ok(command, `package.json does not contribute ${id}`);
  return `${command.category ?? 'TCP Lens'}: ${command.title.replace(/^%(.*)%$/, (_, key) => nls[key])}`;
}

async function reportFrame(page) {
  return waitFor('the report webview', async () => {
    for (const f of page.frames()) {
      try {
        if (await f.$('#diagram-section')) return f;
      } catch {
        // navigating
      }
    }
    return undefined;
  }, { timeoutMs: 60_000 });
}

async function diagramKey(frame) {
  return frame.evaluate(() => {
    const d = document.getElementById('diagram');
    return d.getAttribute('data-rendered') === 'true' && d.getAttribute('aria-busy') !== 'true' && document.querySelector('#diagram svg') ? d.getAttribute('data-key') : null;
  });
}

async function waitForDiagram(frame, oldKey) {
  return waitFor('a newly rendered diagram', async () => {
    const key = await diagramKey(frame);
    return key !== null && key !== oldKey ? key : undefined;
  }, { timeoutMs: 60_000, intervalMs: 50 });
}

/** Invisible characters that reorder or hide text are shown as [U+XXXX], as VS Code's editor shows them. */
function visible(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** tcpdump hostnames become endpoints; an address with a colon is shown in brackets, as for IPv6. */
function endpointLabel(address, port) {
  return visible(`${address.includes(':') ? `[${address}]` : address}:${port}`);
}

/** A lifeline's name is cut after 80 characters (the table shows the whole endpoint). */
function lifeline(text) {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Nothing in the webview may be able to load or run anything, and nothing may have changed its title. */
async function auditDom(frame) {
  return frame.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['img', 'iframe', 'object', 'embed', 'frame', 'frameset', 'base', 'form', 'foreignobject', 'image', 'use', 'a', 'audio', 'video', 'source', 'track', 'portal', 'applet'].includes(tag)) bad.push(`<${tag}>`);
      if (tag === 'meta' && el.getAttribute('http-equiv')?.toLowerCase() === 'refresh') bad.push('<meta refresh>');
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) bad.push(`${tag}[${attr.name}]`);
        if (/^(?:href|src|xlink:href|action|formaction|data)$/i.test(attr.name) && !(tag === 'script' || tag === 'link')) bad.push(`${tag}[${attr.name}=${attr.value.slice(0, 40)}]`);
      }
    }
    // Two scripts: VS Code's own (it defines acquireVsCodeApi in every webview) and the panel's bundle, by nonce.
    const scripts = [...document.querySelectorAll('script')].map((e) =>
      e.hasAttribute('src') ? `bundle ${new URL(e.src).pathname.split('/').slice(-3).join('/')} nonce:${e.hasAttribute('nonce')}` : /^\s*globalThis\.acquireVsCodeApi = /.test(e.textContent ?? '') ? 'vscode api' : `inline ${(e.textContent ?? '').slice(0, 80)}`,
    );
    const links = [...document.querySelectorAll('link')].map((l) => l.getAttribute('rel'));
    const metas = [...document.querySelectorAll('meta')].map((m) => m.getAttribute('http-equiv') ?? m.getAttribute('name') ?? m.getAttribute('charset'));
    return { bad, scripts, links, metas, title: document.title };
  });
}

// ---------------------------------------------------------------------------------------------------------------

test('the corpus has at least 50 payloads in hostnames, process names and payload text', () => {
  const { hosts, processes, ascii } = wb.corpus;
  assert.ok(hosts.length + processes.length + ascii.length >= 50, String(hosts.length + processes.length + ascii.length));
  const all = [...hosts, ...processes, ...ascii].join('\n');
  for (const needle of ['<script>', `<img src=http://127.0.0.1:${wb.port}/beacon`, 'onerror=', 'javascript:', '%%{init', 'click ', 'classDef', '#quot;', '-->']) {
    assert.ok(all.includes(needle), needle);
  }
});

test('hostile hostnames: every connection row, lifeline and raw line is shown as literal text', async () => {
  const { page } = wb;
  const { hosts, ascii } = wb.corpus;
  await openFile(page, HOSTS_FILE);
  await clearNotifications(page);
  await runCommand(page, commandTitle('tcpLens.explain'));
  const frame = await reportFrame(page);
  let key = await waitForDiagram(frame, null);
  const rows = await frame.$$eval('tr.conn', (els) => els.map((tr) => ({ id: tr.dataset.id, client: tr.children[2].textContent, server: tr.children[3].textContent })));
  assert.equal(rows.length, hosts.length);
  assert.deepEqual(
    rows.map((r) => r.client),
    hosts.map((h, i) => endpointLabel(h, 40000 + i)),
  );
  assert.ok(rows.every((r) => r.server === '10.0.0.1:80'));
  // The right-to-left override is shown, not obeyed: the row reads as the log does.
  assert.equal(rows[hosts.length - 1].client, 'x[U+202E]gpj.exe:40023');
  const text = readFileSync(path.join(wb.folder, HOSTS_FILE), 'utf8').split('\n');
  for (let i = 0; i < hosts.length; i++) {
    // Each connection's diagram: the lifeline names the hostile host literally.
    if (i > 0) {
      await frame.click(`tr.conn[data-id="${rows[i].id}"]`);
      key = await waitForDiagram(frame, key);
    }
    const actors = await frame.$$eval('#diagram svg text.actor', (els) => [...new Set(els.map((e) => e.textContent))]);
    assert.deepEqual(actors.sort(), [lifeline(`Client ${endpointLabel(hosts[i], 40000 + i)}`), 'Server 10.0.0.1:80'].sort());
    // The data segment's lines, payload included, in the details box as printed.
    await frame.locator('#diagram svg text.messageText[data-arrow="2"]').first().click();
    const first = i * 6 + 2;
    const expected = `Lines ${first + 1}–${first + 4}\n${text.slice(first, first + 4).map(visible).join('\n')}`;
    await waitFor(`the details of connection ${i}`, async () => (await frame.textContent('#details')) === expected, { timeoutMs: 15_000 });
    assert.ok(expected.includes(ascii[i % ascii.length]));
  }
  const audit = await auditDom(frame);
  assert.deepEqual(audit.bad, []);
  assert.deepEqual(audit.scripts, ['vscode api', 'bundle dist/webview/report.js nonce:true']);
  assert.deepEqual(audit.links, ['stylesheet']);
  assert.equal(audit.title, 'TCP Lens');
  await screenshot(page, 'hostile-hostnames');
});

test('several hostile connections in one diagram; the mermaid source holds no directive, only entity-coded labels', async () => {
  const { page } = wb;
  const frame = await reportFrame(page);
  const ids = await frame.$$eval('tr.conn', (els) => els.slice(0, 8).map((tr) => tr.dataset.id));
  for (const id of ids) await frame.check(`tr.conn[data-id="${id}"] input[type="checkbox"]`);
  const key = await diagramKey(frame);
  await frame.click('#together');
  await waitForDiagram(frame, key);
  const actors = await frame.$$eval('#diagram svg text.actor', (els) => [...new Set(els.map((e) => e.textContent))]);
  const { hosts } = wb.corpus;
  for (let i = 0; i < 8; i++) assert.ok(actors.includes(lifeline(`client ${endpointLabel(hosts[i], 40000 + i)}`)), JSON.stringify(actors));
  // Save the source through the save dialog and read it.
  const target = path.join(wb.folder, 'together.mmd');
  await frame.click('#save-mermaid');
  const input = page.locator('.quick-input-widget input');
  await waitFor('the save dialog', async () => (await input.inputValue({ timeout: 1000 })).endsWith('.mmd'), { timeoutMs: 15_000 });
  await input.fill(target);
  await waitFor('our path in the save dialog', async () => (await input.inputValue({ timeout: 1000 })) === target, { timeoutMs: 5000 });
  await page.keyboard.press('Enter');
  await waitFor('together.mmd', async () => existsSync(target) && readFileSync(target, 'utf8').endsWith('\n'), { timeoutMs: 20_000 });
  const source = readFileSync(target, 'utf8');
  const lines = source.trimEnd().split('\n');
  assert.equal(lines[0], 'sequenceDiagram');
  for (const line of lines.slice(1)) {
    assert.match(line, /^ {4}(?:participant P\d+ as |P\d+(?:->>|-\)|-x|--x)P\d+: |Note over P\d+(?:,P\d+)?: |rect rgba\(127, 127, 127, 0\.12\)$|end$)/, line);
    // After the statement keyword, only entity codes and plain characters: nothing that closes or opens markup.
    const at = line.startsWith('    participant ') ? line.indexOf(' as ') + 4 : line.indexOf(': ') + 2;
    const label = (at > 3 ? line.slice(at) : '').replaceAll('<br/>', '').replace(/#\d+;/g, '');
    assert.doesNotMatch(label, /[<>%{}"';#`\\]/, line);
  }
  assert.doesNotMatch(source, /%%/);
  for (const line of lines) assert.doesNotMatch(line, /^ *(?:classDef|click|style|class|linkStyle)\b/, line);
  assert.equal(lines.filter((l) => l.includes('participant')).length, 9);
});

test('hostile process names, endpoints and lines ss never prints are shown literally', async () => {
  const { page } = wb;
  const { processes, ascii } = wb.corpus;
  await openFile(page, SS_FILE);
  await clearNotifications(page);
  await runCommand(page, commandTitle('tcpLens.explain'));
  const frame = await reportFrame(page);
  await waitFor('the sockets table', async () => (await frame.$$('tr.socket')).length === processes.length + 1, { timeoutMs: 30_000 });
  const sockets = await frame.$$eval('tr.socket', (els) => els.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(
    sockets.slice(0, processes.length).map((r) => r[6]),
    processes.map((p, i) => `${p}/${1000 + i}`),
  );
  assert.equal(sockets[processes.length][2], 'web<script>alert(1)</script>:http');
  const unparsed = await frame.$$eval('.unparsed li code', (els) => els.map((e) => e.textContent));
  assert.deepEqual(
    unparsed,
    ascii.slice(0, 6).map((a) => `garbage ${a}`),
  );
  // The CLOSE-WAIT finding is there, with its lines.
  assert.ok((await frame.$$eval('.finding code', (els) => els.map((e) => e.textContent))).includes('close-wait-pileup'));
  const audit = await auditDom(frame);
  assert.deepEqual(audit.bad, []);
  assert.deepEqual(audit.scripts, ['vscode api', 'bundle dist/webview/report.js nonce:true']);
  assert.equal(audit.title, 'TCP Lens');
  await screenshot(page, 'hostile-processes');
});

test('nothing ran: no dialog, no request to the beacon, no blocked attempt in the console', async () => {
  // Give anything delayed (an onerror after a failed load, a refresh) a moment to show itself.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(dialogs, []);
  assert.deepEqual(beaconHits, []);
  assert.deepEqual(beaconRequests, []);
  const blocked = consoleLines.filter((l) => /Content Security Policy|Refused to|beacon/i.test(l));
  assert.deepEqual(blocked, []);
  const frame = await reportFrame(wb.page);
  assert.equal(await frame.evaluate(() => typeof window.__pwned), 'undefined');
});
