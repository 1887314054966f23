import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { escapeMermaidLabel, renderSequenceDiagram } from '../../../src/core/render/mermaid';
import { textbookConnectionDiagram } from '../../../src/core/render/textbook';

test('labels cannot carry markup, directives or statement breaks', () => {
  const hostile = ['<script>alert(1)</script>', '%%{init: {"theme":"dark"}}%%', 'a;b', 'x\nclick P0 call alert()', '#quot;', 'A-->B'];
  for (const text of hostile) {
    const out = escapeMermaidLabel(text).replace(/#\d+;/g, '');
    assert.doesNotMatch(out, /[<>%{};\n"#]/, `${JSON.stringify(text)} -> ${out}`);
  }
  assert.equal(escapeMermaidLabel('<b>'), '#60;b#62;');
  assert.equal(escapeMermaidLabel('a#b'), 'a#35;b');
});

test('a hostile participant name stays one participant line and never becomes a directive', () => {
  const src = renderSequenceDiagram({
    participants: [{ label: 'evil\nclassDef x fill:red' }, { label: '%%{init:{}}%%' }],
    items: [{ kind: 'message', from: 0, to: 1, label: 'click P1 href "javascript:alert(1)"' }],
  });
  const lines = src.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'sequenceDiagram');
  assert.ok(lines.slice(1).every((l) => /^ {4}(?:participant P\d as |P\d)/.test(l)), src);
  assert.doesNotMatch(src, /%%|href "|^ *classDef/m);
});

test('the textbook diagram is a sequenceDiagram between Client and Server with the handshake first', () => {
  const src = renderSequenceDiagram(textbookConnectionDiagram('en'));
  assert.match(src, /^sequenceDiagram\n {4}participant P0 as Client\n {4}participant P1 as Server\n/);
  const firstMessage = src.split('\n').find((l) => l.includes('->>'));
  assert.equal(firstMessage, '    P0->>P1: SYN seq=0');
});
