import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_IMAGE_CHARS, MAX_REVEAL_LINES, MAX_SELECTED_CONNECTIONS, parseReportState, parseWebviewMessage } from '../../src/webview/protocol';

test('every message the webviews send is accepted with exactly its fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'rendered', ok: true, key: 3, ms: 12.5, extra: 'dropped' }), { type: 'rendered', ok: true, key: 3, ms: 12.5 });
  assert.deepEqual(parseWebviewMessage({ type: 'rendered', ok: false, error: 'x'.repeat(900) }), { type: 'rendered', ok: false, error: 'x'.repeat(500) });
  assert.deepEqual(parseWebviewMessage({ type: 'revealLine', line: 4 }), { type: 'revealLine', line: 4 });
  assert.deepEqual(parseWebviewMessage({ type: 'revealLines', lines: [3, 4, 9] }), { type: 'revealLines', lines: [3, 4, 9] });
  assert.deepEqual(parseWebviewMessage({ type: 'selectConnections', ids: [2, 2, 5] }), { type: 'selectConnections', ids: [2, 5] });
  assert.deepEqual(parseWebviewMessage({ type: 'showPage', page: 7 }), { type: 'showPage', page: 7 });
  assert.deepEqual(parseWebviewMessage({ type: 'copy', what: 'mermaid' }), { type: 'copy', what: 'mermaid' });
  assert.deepEqual(parseWebviewMessage({ type: 'save', what: 'markdown' }), { type: 'save', what: 'markdown' });
  assert.deepEqual(parseWebviewMessage({ type: 'saveImage', format: 'svg', data: '<svg></svg>' }), { type: 'saveImage', format: 'svg', data: '<svg></svg>' });
  assert.deepEqual(parseWebviewMessage({ type: 'saveImage', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' }), {
    type: 'saveImage',
    format: 'png',
    data: 'data:image/png;base64,iVBORw0KGgo=',
  });
});

test('anything outside the allow-list is dropped: unknown types, commands, paths, wrong field types, floods', () => {
  const rejected: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    [{ type: 'ready' }],
    {},
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
    { type: 'command', id: 'vscode.open', args: ['file:///etc/passwd'] },
    { type: 'writeFile', path: '/tmp/x', data: 'x' },
    { type: 'openExternal', url: 'https://example.com' },
    { type: 'revealLine', line: -1 },
    { type: 'revealLine', line: 1.5 },
    { type: 'revealLine', line: '3' },
    { type: 'revealLine', line: Number.NaN },
    { type: 'revealLine', line: 2 ** 40 },
    { type: 'revealLines', lines: [] },
    { type: 'revealLines', lines: [1, 'two'] },
    { type: 'revealLines', lines: new Array(MAX_REVEAL_LINES + 1).fill(1) },
    { type: 'selectConnections', ids: [] },
    { type: 'selectConnections', ids: new Array(MAX_SELECTED_CONNECTIONS + 1).fill(0).map((_, i) => i) },
    { type: 'selectConnections', ids: [-2] },
    { type: 'showPage', page: -1 },
    { type: 'copy', what: 'clipboard' },
    { type: 'copy', what: 'svg' },
    { type: 'save', what: '../../etc/passwd' },
    { type: 'saveImage', format: 'exe', data: 'MZ' },
    { type: 'saveImage', format: 'svg', data: '<html><script>' },
    { type: 'saveImage', format: 'svg', data: 42 },
    { type: 'saveImage', format: 'png', data: 'data:text/html;base64,PHNjcmlwdD4=' },
    { type: 'saveImage', format: 'svg', data: '<svg' + 'x'.repeat(MAX_IMAGE_CHARS) },
    { type: 'rendered', ok: 'yes' },
  ];
  for (const value of rejected) assert.equal(parseWebviewMessage(value), undefined, JSON.stringify(value)?.slice(0, 120));
  // A path given next to an accepted message never survives parsing.
  assert.deepEqual(parseWebviewMessage({ type: 'save', what: 'mermaid', path: '/etc/passwd', uri: 'file:///x' }), { type: 'save', what: 'mermaid' });
});

test('the validator never throws and only ever returns one of the allowed shapes (property)', () => {
  const allowed = new Set(['ready', 'rendered', 'revealLine', 'revealLines', 'selectConnections', 'showPage', 'copy', 'save', 'saveImage']);
  const types = fc.constantFrom(...allowed, 'runCommand', 'eval', '__proto__', 'constructor');
  fc.assert(
    fc.property(fc.oneof(fc.anything(), fc.record({ type: types }, { requiredKeys: [] }), fc.dictionary(fc.constantFrom('type', 'line', 'lines', 'ids', 'page', 'what', 'format', 'data', 'ok'), fc.anything())), (value) => {
      const parsed = parseWebviewMessage(value);
      if (parsed === undefined) return;
      assert.ok(allowed.has(parsed.type));
      for (const key of Object.keys(parsed)) assert.ok(['type', 'ok', 'error', 'key', 'ms', 'line', 'lines', 'ids', 'page', 'what', 'format', 'data'].includes(key), key);
    }),
    { numRuns: 2000 },
  );
});

test('restored panel state is validated like a message', () => {
  assert.deepEqual(parseReportState({ v: 1, uri: 'file:///w/a.txt', scope: { kind: 'block', first: 3, last: 9 }, connections: [1, 2], page: 4, scrollY: 120, junk: 1 }), {
    v: 1,
    uri: 'file:///w/a.txt',
    scope: { kind: 'block', first: 3, last: 9 },
    connections: [1, 2],
    page: 4,
    scrollY: 120,
  });
  assert.deepEqual(parseReportState({ v: 1, scope: { kind: 'everything', first: 0, last: 1 }, connections: 'all', page: -3, scrollY: 'x', textbook: 'yes' }), {
    v: 1,
    connections: [],
    page: 0,
    scrollY: 0,
  });
  assert.deepEqual(parseReportState({ v: 1, textbook: true, scope: { kind: 'selection', first: 9, last: 3 } }), { v: 1, connections: [], page: 0, scrollY: 0, textbook: true });
  assert.equal(parseReportState({ v: 2 }), undefined);
  assert.equal(parseReportState({ source: 'sequenceDiagram', title: 'old diagram panel' }), undefined);
  assert.equal(parseReportState(null), undefined);
  assert.equal(parseReportState({ v: 1, uri: 'x'.repeat(5000) })?.uri, undefined);
});
