import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { capLine, isPromptLine, MAX_LINE_LENGTH, splitLines } from '../../src/core/text';

test('splitLines removes CR of CRLF and keeps empty lines', () => {
  assert.deepEqual(splitLines('a\r\n\r\nb\n'), ['a', '', 'b', '']);
});

test('capLine cuts a 10 MB line to the regex budget', () => {
  const line = 'x'.repeat(10 * 1024 * 1024);
  assert.equal(capLine(line).length, MAX_LINE_LENGTH);
});

test('prompt lines are recognised for the tools we read only', () => {
  assert.ok(isPromptLine('$ ss -tan'));
  assert.ok(isPromptLine('root@web-1:~# netstat -natp'));
  assert.ok(isPromptLine('C:\\Users\\me>netstat -ano'));
  assert.ok(isPromptLine('$ sudo tcpdump -nn -i any port 80'));
  assert.ok(!isPromptLine('$ ls -la'));
  assert.ok(!isPromptLine('tcp        0      0 127.0.0.1:8080          0.0.0.0:*               LISTEN'));
});
