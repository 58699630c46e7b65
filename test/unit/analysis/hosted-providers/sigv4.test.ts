// The signer against the published AWS SigV4 test-suite vectors (credentials AKIDEXAMPLE, 2015-08-30,
// us-east-1, service "service"): canonical request, string to sign and signature of each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amzDate, signV4 } from '../../../../src/analysis/providers/sigv4.ts';

const KEY = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 'service',
};
const HEADERS = { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' };
const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('sigv4: the test-suite vector get-vanilla: canonical request, string to sign and signature', () => {
  const signed = signV4({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: HEADERS, body: '' }, KEY);
  assert.equal(
    signed.canonicalRequest,
    `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_HASH}`,
  );
  assert.equal(
    signed.stringToSign,
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
  );
  assert.equal(signed.signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  assert.equal(
    signed.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
      'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  );
});

test('sigv4: the test-suite vectors post-vanilla and get-vanilla-query-order-key-case', () => {
  const post = signV4({ method: 'POST', url: new URL('https://example.amazonaws.com/'), headers: HEADERS, body: '' }, KEY);
  assert.match(post.stringToSign, /\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87$/);
  assert.equal(post.signature, '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  const query = signV4(
    { method: 'GET', url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'), headers: HEADERS, body: '' },
    KEY,
  );
  assert.equal(query.canonicalRequest.split('\n')[2], 'Param1=value1&Param2=value2');
  assert.equal(query.signature, 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
});

test('sigv4: X-Amz-Date of a moment, and a request without it is refused', () => {
  assert.equal(amzDate(new Date('2015-08-30T12:36:00.123Z')), '20150830T123600Z');
  assert.throws(() => signV4({ method: 'GET', url: new URL('https://x/'), headers: { host: 'x' }, body: '' }, KEY), /x-amz-date/);
});
