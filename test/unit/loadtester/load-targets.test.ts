// --allow-target: which load URLs a pattern lets through, and which patterns are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTargetPattern, targetAllowed, targetOrigin } from '../../../src/loadtester/load-targets.ts';

test('a pattern matches the scheme, host and port of a URL, with * for exactly one DNS label', () => {
  const cases: [pattern: string, url: string, allowed: boolean][] = [
    ['http://podinfo-canary.test:9898', 'http://podinfo-canary.test:9898/', true],
    ['http://podinfo-canary.test:9898', 'http://podinfo-canary.test:9898/api/info?x=1', true],
    ['http://podinfo-canary.test:9898', 'http://PODINFO-Canary.test:9898/', true],
    ['http://podinfo-canary.test:9898', 'http://podinfo-canary.test:9899/', false],
    ['http://podinfo-canary.test:9898', 'https://podinfo-canary.test:9898/', false],
    ['http://podinfo-canary.test:9898', 'http://podinfo-primary.test:9898/', false],
    ['http://podinfo-canary.test:9898', 'http://podinfo-canary.test.evil.example:9898/', false],
    ['http://podinfo-canary.test:9898', 'http://evil.example/?podinfo-canary.test:9898', false],
    ['http://podinfo-canary.test:9898', 'http://podinfo-canary.test:9898@evil.example:9898/', false],
    ['http://*.test:9898', 'http://podinfo-canary.test:9898/', true],
    ['http://*.test:9898', 'http://a.b.test:9898/', false],
    ['http://*.test:9898', 'http://test:9898/', false],
    ['http://*.test:9898', 'http://podinfo.test:80/', false],
    ['http://*.*.svc:80', 'http://podinfo-canary.shop.svc/', true],
    ['http://podinfo.shop', 'http://podinfo.shop:80/', true],
    ['http://podinfo.shop', 'http://podinfo.shop/', true],
    ['http://podinfo.shop', 'http://podinfo.shop:8080/', false],
    ['https://podinfo.shop', 'https://podinfo.shop:443/', true],
    ['http://PodInfo.Shop:9898/', 'http://podinfo.shop:9898/', true],
    ['http://127.0.0.1:9898', 'http://127.0.0.1:9898/', true],
    ['http://127.0.0.1:9898', 'http://2130706433:9898/', true],
    ['http://127.0.0.1:9898', 'http://127.0.0.2:9898/', false],
    ['http://[::1]:9898', 'http://[0:0::1]:9898/', true],
    ['http://*.test:9898', 'not a url', false],
  ];
  for (const [pattern, url, allowed] of cases) {
    assert.equal(targetAllowed([parseTargetPattern(pattern)], url), allowed, `${pattern} ${allowed ? 'allows' : 'refuses'} ${url}`);
  }
});

test('with no patterns no URL is allowed; with several, any one may match', () => {
  assert.equal(targetAllowed([], 'http://podinfo.test:9898/'), false);
  const patterns = ['http://a.test:1', 'http://b.test:2'].map(parseTargetPattern);
  assert.equal(targetAllowed(patterns, 'http://b.test:2/'), true);
  assert.equal(targetAllowed(patterns, 'http://b.test:1/'), false);
});

test('a pattern that is not scheme://host[:port] is refused with a message naming --allow-target', () => {
  const cases: [pattern: string, why: RegExp][] = [
    ['podinfo.test:9898', /give scheme:\/\/host:port/],
    ['ftp://podinfo.test:21', /give scheme:\/\/host:port/],
    ['http://podinfo.test:9898/api', /no path/],
    ['http://podinfo.test:9898?x=1', /no path, query/],
    ['http://user@podinfo.test:9898', /no path, query or user/],
    ['http://podinfo.test:*', /give scheme:\/\/host:port/],
    ['http://podinfo.test:0', /port must be between 1 and 65535/],
    ['http://podinfo.test:70000', /port must be between 1 and 65535/],
    ['http://pod*.test:9898', /\* stands for a whole label/],
    ['http://**.test:9898', /\* stands for a whole label/],
    ['http://podinfo..test:9898', /empty label/],
    ['http://', /give scheme:\/\/host:port/],
    ['', /give scheme:\/\/host:port/],
  ];
  for (const [pattern, why] of cases) {
    assert.throws(
      () => parseTargetPattern(pattern),
      (error: Error) => error.message.startsWith(`--allow-target "${pattern}": `) && why.test(error.message),
      pattern,
    );
  }
});

test('the origin in messages has the port written out, as a pattern needs it', () => {
  const cases: [url: string, origin: string][] = [
    ['http://podinfo.test/api?x=1', 'http://podinfo.test:80'],
    ['https://podinfo.test/', 'https://podinfo.test:443'],
    ['http://user:secret@podinfo.test:9898/', 'http://podinfo.test:9898'],
    ['http://Podinfo.TEST:9898/', 'http://podinfo.test:9898'],
  ];
  for (const [url, origin] of cases) assert.equal(targetOrigin(url), origin, url);
});
