// Putting the primary's image back in the files that set the failed one: every place a release can
// set an image, byte for byte elsewhere, and nothing touched that names another image.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { swapImages } from '../../../src/imagepolicy/writeback/image-swap.ts';

const swap = { from: '127.0.0.1:5000/team/app:2.0.0', to: '127.0.0.1:5000/team/app:1.0.0' };

const cases: { name: string; before: string; after: string; changes: number }[] = [
  {
    name: 'a whole reference in a container list, comments and quotes kept',
    before: 'spec:\n  containers:\n    - name: app # the app\n      image: "127.0.0.1:5000/team/app:2.0.0" # pinned\n',
    after: 'spec:\n  containers:\n    - name: app # the app\n      image: "127.0.0.1:5000/team/app:1.0.0" # pinned\n',
    changes: 1,
  },
  {
    name: 'a reference with a pinned digest loses the digest of the failed build',
    before: 'image: 127.0.0.1:5000/team/app:2.0.0@sha256:' + 'a'.repeat(64) + '\n',
    after: 'image: 127.0.0.1:5000/team/app:1.0.0\n',
    changes: 1,
  },
  {
    name: "a kustomization's images: entry gets its newTag back",
    before: 'images:\n  - name: 127.0.0.1:5000/team/app\n    newTag: 2.0.0\n  - name: other\n    newTag: 2.0.0\n',
    after: 'images:\n  - name: 127.0.0.1:5000/team/app\n    newTag: 1.0.0\n  - name: other\n    newTag: 2.0.0\n',
    changes: 1,
  },
  {
    name: 'Helm values with repository and tag side by side',
    before: 'image:\n  repository: 127.0.0.1:5000/team/app\n  tag: "2.0.0"\nsidecar:\n  repository: proxy\n  tag: "2.0.0"\n',
    after: 'image:\n  repository: 127.0.0.1:5000/team/app\n  tag: "1.0.0"\nsidecar:\n  repository: proxy\n  tag: "2.0.0"\n',
    changes: 1,
  },
  {
    name: 'every document of a multi-document file',
    before: 'image: 127.0.0.1:5000/team/app:2.0.0\n---\nimage: 127.0.0.1:5000/team/app:2.0.0\n',
    after: 'image: 127.0.0.1:5000/team/app:1.0.0\n---\nimage: 127.0.0.1:5000/team/app:1.0.0\n',
    changes: 2,
  },
  {
    name: 'a file already holding the primary image is left as it is (a second revert commits nothing)',
    before: 'image: 127.0.0.1:5000/team/app:1.0.0\n',
    after: 'image: 127.0.0.1:5000/team/app:1.0.0\n',
    changes: 0,
  },
  {
    name: 'a longer tag that starts with the failed one is another image',
    before: 'image: 127.0.0.1:5000/team/app:2.0.01\nname: 127.0.0.1:5000/team/app-2.0.0\n',
    after: 'image: 127.0.0.1:5000/team/app:2.0.01\nname: 127.0.0.1:5000/team/app-2.0.0\n',
    changes: 0,
  },
  {
    name: 'a tag key without the repository beside it is not touched',
    before: 'tag: 2.0.0\n',
    after: 'tag: 2.0.0\n',
    changes: 0,
  },
];

for (const { name, before, after, changes } of cases) {
  test(`image swap: ${name}`, () => {
    const result = swapImages(before, [swap]);
    assert.equal(result.text, after);
    assert.equal(result.changes.length, changes);
  });
}

test('image swap: a different repository is restored only where the whole reference is written', () => {
  const moved = { from: 'registry.new/app:2', to: 'registry.old/app:1' };
  const result = swapImages('image: registry.new/app:2\nimages:\n  - name: registry.new/app\n    newTag: "2"\n', [moved]);
  assert.equal(result.text, 'image: registry.old/app:1\nimages:\n  - name: registry.new/app\n    newTag: "2"\n');
});
