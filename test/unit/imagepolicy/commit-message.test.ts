import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitMessage } from '../../../src/imagepolicy/commit-message.ts';

const values = { policy: 'apps:web', image: 'ghcr.io/org/web', tag: '1.2.0', digest: 'sha256:abc', previousTag: '1.1.0' };

describe('commitMessage', () => {
  it('fills every placeholder of a template, spaces inside the braces allowed', () => {
    assert.equal(
      commitMessage('chore: {{ image }} {{previousTag}} -> {{tag}} ({{digest}}) by {{policy}}', values),
      'chore: ghcr.io/org/web 1.1.0 -> 1.2.0 (sha256:abc) by apps:web',
    );
  });
  it('keeps unknown placeholders as written, so a typo shows in the commit', () => {
    assert.equal(commitMessage('update {{tga}}', values), 'update {{tga}}');
  });
  it('treats names every object inherits as unknown placeholders', () => {
    assert.equal(commitMessage('{{constructor}} {{toString}} {{__proto__}}', values), '{{constructor}} {{toString}} {{__proto__}}');
  });
  it('has a default that names the image, the new and the previous tag', () => {
    const message = commitMessage(undefined, { policy: 'apps:web', image: 'ghcr.io/org/web', tag: '1.2.0' });
    assert.match(message, /^Update ghcr\.io\/org\/web to 1\.2\.0\n/);
    assert.match(message, /was not set before/);
  });
});
