// Server-Sent Events framing: what a browser's parser reads back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSse, sseHeartbeat } from '../../../src/server/dashboard/sse.ts';

test('sse: a message is its event, its id and its JSON data, ended by a blank line', () => {
  assert.equal(
    encodeSse({ event: 'canary', id: '7', data: { name: 'web', weight: 10 } }),
    'event: canary\nid: 7\ndata: {"name":"web","weight":10}\n\n',
  );
});

test('sse: newlines inside strings stay escaped in one data line', () => {
  const frame = encodeSse({ event: 'canary', data: { message: 'line one\nline two' } });
  assert.equal(frame.split('\n').filter((line) => line.startsWith('data: ')).length, 1);
  assert.deepEqual(JSON.parse(frame.split('\n')[1]!.slice('data: '.length)), { message: 'line one\nline two' });
});

test('sse: an event name with a newline is refused; a newline in an id is dropped', () => {
  assert.throws(() => encodeSse({ event: 'a\nb', data: 1 }), /one line/);
  assert.equal(encodeSse({ event: 'x', id: '1\n2', data: 1 }), 'event: x\nid: 12\ndata: 1\n\n');
});

test('sse: the heartbeat is a comment', () => {
  assert.match(sseHeartbeat(), /^: .*\n\n$/);
});
