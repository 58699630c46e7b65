import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextPageUrl } from '../../../src/imagepolicy/registry/link-header.ts';

const page = 'https://registry.example/v2/team/app/tags/list?n=3';

const cases: { name: string; header: string | null; next: string | undefined }[] = [
  {
    name: 'a relative link',
    header: '</v2/team/app/tags/list?n=3&last=v3>; rel="next"',
    next: 'https://registry.example/v2/team/app/tags/list?n=3&last=v3',
  },
  {
    name: 'an absolute link',
    header: '<https://other.example/v2/x/tags/list?last=b>; rel="next"',
    next: 'https://other.example/v2/x/tags/list?last=b',
  },
  { name: 'an unquoted rel', header: '</v2/x/tags/list?last=b>; rel=next', next: 'https://registry.example/v2/x/tags/list?last=b' },
  { name: 'rel among other relations', header: '</v2/x?last=b>; rel="prefetch next"', next: 'https://registry.example/v2/x?last=b' },
  {
    name: 'next after another link with a comma in its URL',
    header: '</v2/x?a=1,2>; rel="prev", </v2/x?last=c>; rel="next"',
    next: 'https://registry.example/v2/x?last=c',
  },
  { name: 'only a prev link', header: '</v2/x?last=a>; rel="prev"', next: undefined },
  { name: 'no header', header: null, next: undefined },
  { name: 'garbage', header: 'not a link', next: undefined },
];

for (const { name, header, next } of cases) {
  test(`nextPageUrl: ${name}`, () => {
    assert.equal(nextPageUrl(header, page), next);
  });
}
