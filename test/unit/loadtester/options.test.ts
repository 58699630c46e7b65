// wren loadtester flags: where the token comes from, what --insecure opens, and clear errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insecureWarnings, parseLoadTesterOptions, UsageError, type LoadTesterOptions } from '../../../src/loadtester/options.ts';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) => parseLoadTesterOptions(args, env);

test('the token comes from --token-file or WREN_LOADTESTER_TOKEN (trimmed); --insecure starts without one', () => {
  const cases: [args: string[], env: NodeJS.ProcessEnv, token: LoadTesterOptions['token'], insecure: boolean][] = [
    [['--token-file', '/var/run/secrets/loadtester/token'], {}, { source: 'file', path: '/var/run/secrets/loadtester/token' }, false],
    [[], { WREN_LOADTESTER_TOKEN: ' s3cret\n' }, { source: 'env', token: 's3cret' }, false],
    [['--insecure'], {}, undefined, true],
    [['--insecure', '--token-file', '/t'], {}, { source: 'file', path: '/t' }, true],
  ];
  for (const [args, env, token, insecure] of cases) {
    const options = parse(args, env);
    assert.deepEqual(options.token, token, args.join(' '));
    assert.equal(options.insecure, insecure, args.join(' '));
  }
});

test('defaults: listen on 0.0.0.0:8080, no targets, no commands', () => {
  const options = parse(['--token-file', '/t']);
  assert.equal(options.host, '0.0.0.0');
  assert.equal(options.port, 8080);
  assert.deepEqual(options.allowedTargets, []);
  assert.deepEqual(options.allowedCommands, []);
});

test('--allow-target and --allow-command repeat; --address sets host and port', () => {
  const options = parse([
    '--token-file',
    '/t',
    '--address',
    '127.0.0.1:9090',
    '--allow-target',
    'http://*.test:9898',
    '--allow-target',
    'https://podinfo.shop',
    '--allow-command',
    'hey .*',
    '--allow-command',
    'k6 run .*',
  ]);
  assert.equal(options.host, '127.0.0.1');
  assert.equal(options.port, 9090);
  assert.deepEqual(
    options.allowedTargets.map((target) => target.text),
    ['http://*.test:9898', 'https://podinfo.shop'],
  );
  assert.deepEqual(options.allowedCommands, ['hey .*', 'k6 run .*']);
});

test('bad input is a usage error that names the flag or variable', () => {
  const cases: [args: string[], env: NodeJS.ProcessEnv, message: RegExp][] = [
    [[], {}, /needs a token: --token-file PATH .* or WREN_LOADTESTER_TOKEN; or --insecure/],
    [['--allow-target', 'http://*.test:9898'], {}, /needs a token/],
    [['--token', 's3cret'], {}, /^--token: a token on the command line shows in ps; use --token-file PATH or WREN_LOADTESTER_TOKEN$/],
    [['--token=s3cret', '--insecure'], {}, /^--token: /],
    [['--token-file', '/t'], { WREN_LOADTESTER_TOKEN: 's3cret' }, /^--token-file: give --token-file or WREN_LOADTESTER_TOKEN, not both$/],
    [['--token-file', ''], {}, /^--token-file: give the path/],
    [[], { WREN_LOADTESTER_TOKEN: '  ' }, /^WREN_LOADTESTER_TOKEN is set but empty$/],
    [['--insecure', '--allow-target', 'podinfo.test'], {}, /^--allow-target "podinfo.test": /],
    [['--insecure', '--allow-command', 'hey ('], {}, /^--allow-command "hey \(": not a regular expression/],
    [['--insecure', '--address', 'localhost'], {}, /^--address: "localhost" is not HOST:PORT$/],
    [['--insecure', '--address', '127.0.0.1:http'], {}, /^--address: /],
    [['--insecure', '--address', '127.0.0.1:'], {}, /^--address: /],
  ];
  for (const [args, env, message] of cases) {
    assert.throws(
      () => parse(args, env),
      (error: Error) => error instanceof UsageError && message.test(error.message),
      `${args.join(' ')} ${JSON.stringify(env)}`,
    );
  }
  assert.throws(() => parse(['--insecure', '--what']), /Unknown option '--what'/);
});

test('--insecure warns about exactly what it leaves open', () => {
  const cases: [args: string[], warnings: RegExp[]][] = [
    [['--token-file', '/t'], []],
    [['--token-file', '/t', '--insecure', '--allow-target', 'http://*.test:80'], []],
    [['--insecure', '--allow-target', 'http://*.test:80'], [/without a token: anyone who reaches the load tester can open gates/]],
    [['--insecure', '--token-file', '/t'], [/without --allow-target: load goes to any URL/]],
    [['--insecure'], [/without a token/, /without --allow-target/]],
  ];
  for (const [args, expected] of cases) {
    const warnings = insecureWarnings(parse(args));
    assert.equal(warnings.length, expected.length, args.join(' '));
    expected.forEach((pattern, index) => assert.match(warnings[index] ?? '', pattern));
  }
});
