// Behaviour fixed after review: account quotas hold under concurrency, empty path labels are a
// missing member (400, not "no such route"), tags are regional, no list cap changes the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, newAccount, assertError } from './wire.mjs';

const collaboration = (extra = {}) => ({
  name: 'quota', description: 'concurrent creates', creatorDisplayName: 'A',
  creatorMemberAbilities: [], queryLogStatus: 'DISABLED', members: [], ...extra,
});

test('20 concurrent creates by one account: exactly 10 succeed, the rest are 402', async () => {
  const account = newAccount();
  const results = await Promise.all(
    Array.from({ length: 20 }, () => call('POST', '/collaborations', { account, body: collaboration() })));
  const ok = results.filter((r) => r.status === 200).length;
  const quota = results.filter((r) => r.status === 402 && r.errorType === 'ServiceQuotaExceededException');
  assert.equal(ok, 10, `created ${ok}`);
  assert.equal(quota.length, 10);
  assert.equal(quota[0].json.quotaName, 'Collaborations created per account');
  const list = await call('GET', '/collaborations?maxResults=100', { account });
  assert.equal(list.json.collaborationList.length, 10);
});

test('an empty path label is a missing member: 400 ValidationException', async () => {
  for (const [method, path] of [['GET', '/collaborations//members'], ['DELETE', '/memberships/'],
                                 ['GET', '/collaborations/']]) {
    const res = await call(method, path);
    const body = assertError(res, 400, 'ValidationException');
    assert.equal(body.reason, 'FIELD_VALIDATION_FAILED', `${method} ${path}`);
  }
});

test('tags are regional: another region does not find the resource', async () => {
  const account = newAccount();
  const created = await call('POST', '/collaborations', { account, body: collaboration({ tags: { a: '1' } }) });
  const arn = encodeURIComponent(created.json.collaboration.arn);
  assert.equal((await call('GET', `/tags/${arn}`, { account })).json.tags.a, '1');
  assertError(await call('GET', `/tags/${arn}`, { account, region: 'eu-west-1' }), 404, 'ResourceNotFoundException');
  assertError(await call('POST', `/tags/${arn}`, { account, region: 'eu-west-1', body: { tags: { b: '2' } } }),
              404, 'ResourceNotFoundException');
});

test('UntagResource takes more than 200 keys; 6+ members is the quota error, not a shape error', async () => {
  const account = newAccount();
  const created = await call('POST', '/collaborations', { account, body: collaboration({ tags: { k1: 'v' } }) });
  const arn = encodeURIComponent(created.json.collaboration.arn);
  const keys = Array.from({ length: 250 }, (_, i) => `tagKeys=k${i}`).join('&');
  assert.equal((await call('DELETE', `/tags/${arn}?${keys}`, { account })).status, 200);
  assert.deepEqual((await call('GET', `/tags/${arn}`, { account })).json.tags, {});
  const members = Array.from({ length: 1200 }, (_, i) => ({
    accountId: String(500000000000 + i), displayName: `m${i}`, memberAbilities: [] }));
  assertError(await call('POST', '/collaborations', { account, body: collaboration({ members }) }),
              402, 'ServiceQuotaExceededException');
});
