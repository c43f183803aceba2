// The shape of successful responses on the wire: status codes, headers, empty bodies, epoch-second
// timestamps, omitted optionals, percent-encoded ARNs, the default account.
// Reference: shared/spec/SPEC.md 2.1, 2.3, 3.1, 15.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_ACCOUNT, ENDPOINT, UUID_RE, assertError, authorization, call, createCollaboration, newAccount,
  validCollaboration,
} from './wire.mjs';

const nowSeconds = () => Date.now() / 1000;

function assertEpochSeconds(v, what) {
  assert.equal(typeof v, 'number', `${what} is a JSON number, got ${JSON.stringify(v)}`);
  assert.ok(Math.abs(v - nowSeconds()) < 3600, `${what} = ${v} is epoch seconds close to now`);
}

describe('successful responses', () => {
  const A = newAccount();
  const B = newAccount();

  it('/health answers 200', async () => {
    const res = await fetch(`${ENDPOINT}/health`);
    assert.equal(res.status, 200);
  });

  it('CreateCollaboration: 200, JSON, epoch-second timestamps, optionals omitted, no null', async () => {
    const res = await call('POST', '/collaborations', {
      account: A,
      body: validCollaboration({
        members: [{ accountId: B, displayName: 'Bee', memberAbilities: ['CAN_QUERY'] }],
        // null is treated as absent; unknown members are ignored
        analyticsEngine: null,
        jobLogStatus: null,
        someFutureMember: { nested: [1, 2, 3] },
      }),
    });
    assert.equal(res.status, 200, res.text);
    const c = res.json.collaboration;
    assert.match(c.id, UUID_RE);
    assert.equal(c.arn, `arn:aws:cleanrooms:us-east-1:${A}:collaboration/${c.id}`);
    assertEpochSeconds(c.createTime, 'createTime');
    assertEpochSeconds(c.updateTime, 'updateTime');
    assert.deepEqual(Object.keys(c).sort(), ['arn', 'createTime', 'creatorAccountId', 'creatorDisplayName', 'description', 'id',
      'memberStatus', 'name', 'queryLogStatus', 'updateTime']);
    assert.deepEqual(Object.keys(res.json), ['collaboration']);

    const members = await call('GET', `/collaborations/${c.id}/members`, { account: B });
    assert.equal(members.status, 200);
    assert.deepEqual(Object.keys(members.json), ['memberSummaries'], 'no nextToken on the last page');
    for (const m of members.json.memberSummaries) {
      assertEpochSeconds(m.createTime, 'member createTime');
      assertEpochSeconds(m.updateTime, 'member updateTime');
      assert.equal(typeof m.paymentConfiguration.queryCompute.isResponsible, 'boolean');
      assert.ok(!('membershipId' in m));
    }
  });

  it('required lists are present when empty', async () => {
    const C = newAccount();
    const cols = await call('GET', '/collaborations', { account: C });
    assert.deepEqual(cols.json, { collaborationList: [] });
    const mems = await call('GET', '/memberships', { account: C });
    assert.deepEqual(mems.json, { membershipSummaries: [] });
  });

  it('Content-Type is lenient: x-amz-json-1.1 and none at all are accepted', async () => {
    // a Buffer body makes fetch send no Content-Type of its own
    const raw = Buffer.from(JSON.stringify(validCollaboration()));
    for (const headers of [{ 'content-type': 'application/x-amz-json-1.1' }, {}]) {
      const res = await call('POST', '/collaborations', { account: newAccount(), raw, headers });
      assert.equal(res.status, 200, res.text);
    }
  });

  it('x-amzn-RequestId is on every response and unique', async () => {
    const ids = new Set();
    const responses = [
      await call('GET', '/collaborations', { account: A }),
      await call('GET', '/memberships', { account: A }),
      await call('GET', '/no/such/route', { account: A }),
      await call('GET', '/collaborations?maxResults=0', { account: A }),
      await call('GET', '/collaborations/0f0f0f0f-0000-4000-8000-00000000000a', { account: A }),
    ];
    for (const r of responses) ids.add(r.headers.get('x-amzn-requestid'));
    assert.equal(ids.size, responses.length);
  });

  it('Create/Get membership bodies: epoch seconds, paymentConfiguration always present', async () => {
    const col = await createCollaboration(A);
    const created = await call('POST', '/memberships', {
      account: A, body: { collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' },
    });
    assert.equal(created.status, 200, created.text);
    const m = created.json.membership;
    assertEpochSeconds(m.createTime, 'membership createTime');
    assertEpochSeconds(m.updateTime, 'membership updateTime');
    assert.deepEqual(m.paymentConfiguration, { queryCompute: { isResponsible: false } });
    for (const absent of ['defaultResultConfiguration', 'defaultJobResultConfiguration', 'jobLogStatus', 'isMetricsEnabled',
      'mlMemberAbilities']) {
      assert.ok(!(absent in m), `${absent} omitted`);
    }
    const got = await call('GET', `/memberships/${m.id}`, { account: A });
    assert.deepEqual(got.json.membership, m);
    const list = await call('GET', '/memberships?maxResults=1', { account: A });
    assert.equal(list.status, 200);
    assertEpochSeconds(list.json.membershipSummaries[0].createTime, 'summary createTime');

    // the collaboration now shows the caller's membership
    const view = (await call('GET', `/collaborations/${col.id}`, { account: A })).json.collaboration;
    assert.equal(view.memberStatus, 'ACTIVE');
    assert.equal(view.membershipId, m.id);
    assert.equal((await call('DELETE', `/collaborations/${col.id}`, { account: A })).status, 204);
  });

  it('Delete* answers 204 with an empty body', async () => {
    const col = await createCollaboration(A, { members: [{ accountId: B, displayName: 'Bee', memberAbilities: [] }] });
    const mem = (await call('POST', '/memberships', {
      account: B, body: { collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' },
    })).json.membership;
    for (const [path, account] of [
      [`/memberships/${mem.id}`, B],
      [`/collaborations/${col.id}`, A],
    ]) {
      const res = await call('DELETE', path, { account });
      assert.equal(res.status, 204, `DELETE ${path}: ${res.text}`);
      assert.equal(res.text, '', 'empty body');
      const len = res.headers.get('content-length');
      assert.ok(len === null || len === '0', `content-length ${len}`);
    }
    // DeleteMember too
    const col2 = await createCollaboration(A, { members: [{ accountId: B, displayName: 'Bee', memberAbilities: [] }] });
    const del = await call('DELETE', `/collaborations/${col2.id}/member/${B}`, { account: A });
    assert.equal(del.status, 204, del.text);
    assert.equal(del.text, '');
    assert.equal((await call('DELETE', `/collaborations/${col2.id}`, { account: A })).status, 204);
  });

  it('UpdateCollaboration with no field is a no-op that keeps updateTime', async () => {
    const col = await createCollaboration(A);
    const res = await call('PATCH', `/collaborations/${col.id}`, { account: A, body: {} });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.collaboration, col);
    const upd = await call('PATCH', `/collaborations/${col.id}`, { account: A, body: { description: 'changed' } });
    assert.equal(upd.json.collaboration.description, 'changed');
    assert.ok(upd.json.collaboration.updateTime >= col.updateTime);
    assert.equal((await call('DELETE', `/collaborations/${col.id}`, { account: A })).status, 204);
  });
});

describe('tags over the wire', () => {
  const A = newAccount();

  it('TagResource and UntagResource answer 200 with {}; ARNs are percent-encoded path labels', async () => {
    const col = await createCollaboration(A, { tags: { team: 'wire' } });
    const enc = encodeURIComponent(col.arn);
    assert.ok(enc.includes('%3A') && enc.includes('%2F'));

    const listed = await call('GET', `/tags/${enc}`, { account: A });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.json, { tags: { team: 'wire' } });

    const tagged = await call('POST', `/tags/${enc}`, { account: A, body: { tags: { env: 'dev', tier: 'gold' } } });
    assert.equal(tagged.status, 200, tagged.text);
    assert.equal(tagged.text.trim(), '{}');

    // lower-case percent escapes decode the same
    const lower = enc.replace(/%3A/g, '%3a').replace(/%2F/g, '%2f');
    assert.deepEqual((await call('GET', `/tags/${lower}`, { account: A })).json, { tags: { team: 'wire', env: 'dev', tier: 'gold' } });

    const untagged = await call('DELETE', `/tags/${enc}?tagKeys=team&tagKeys=tier`, { account: A });
    assert.equal(untagged.status, 200, untagged.text);
    assert.equal(untagged.text.trim(), '{}');
    assert.deepEqual((await call('GET', `/tags/${enc}`, { account: A })).json, { tags: { env: 'dev' } });

    // another account: 404, whatever the operation
    const B = newAccount();
    assertError(await call('GET', `/tags/${enc}`, { account: B }), 404, 'ResourceNotFoundException');
    assertError(await call('POST', `/tags/${enc}`, { account: B, body: { tags: { x: 'y' } } }), 404, 'ResourceNotFoundException');
    assert.equal((await call('DELETE', `/collaborations/${col.id}`, { account: A })).status, 204);
  });

  it('a resource without tags lists {"tags":{}}', async () => {
    const col = await createCollaboration(A);
    const listed = await call('GET', `/tags/${encodeURIComponent(col.arn)}`, { account: A });
    assert.deepEqual(listed.json, { tags: {} });
    assert.equal((await call('DELETE', `/collaborations/${col.id}`, { account: A })).status, 204);
  });
});

describe('caller identity', () => {
  it('a request without Authorization is served as the default account', async () => {
    const created = await call('POST', '/collaborations', { account: null, body: validCollaboration({ name: 'anonymous' }) });
    assert.equal(created.status, 200, created.text);
    const col = created.json.collaboration;
    assert.equal(col.creatorAccountId, DEFAULT_ACCOUNT);
    assert.match(col.arn, new RegExp(`^arn:aws:cleanrooms:[a-z0-9-]+:${DEFAULT_ACCOUNT}:collaboration/${col.id}$`));
    const asDefault = await call('GET', `/collaborations/${col.id}`, { account: DEFAULT_ACCOUNT });
    assert.equal(asDefault.status, 200, asDefault.text);
    assertError(await call('GET', `/collaborations/${col.id}`, { account: newAccount() }), 403, 'AccessDeniedException');
    const del = await call('DELETE', `/collaborations/${col.id}`, { account: null });
    assert.equal(del.status, 204, del.text);
  });

  it('the account comes from the access key id, the region from the credential scope', async () => {
    const X = newAccount();
    const res = await call('POST', '/collaborations', { account: X, region: 'ap-southeast-2', body: validCollaboration() });
    assert.equal(res.status, 200, res.text);
    const col = res.json.collaboration;
    assert.equal(col.creatorAccountId, X);
    assert.equal(col.arn, `arn:aws:cleanrooms:ap-southeast-2:${X}:collaboration/${col.id}`);
    assert.equal((await call('DELETE', `/collaborations/${col.id}`, { account: X, region: 'ap-southeast-2' })).status, 204);
  });

  it('an Authorization that names a 12-digit account is never served as the default account', async () => {
    // The minimal open-mode header (signature "00", not 64 hex digits): the server may take the
    // account from the credential scope, or refuse the request with a 403 signature error, but
    // silently acting as the default account would write into somebody else's account.
    const X = newAccount();
    const res = await call('POST', '/collaborations', {
      account: X, headers: { authorization: authorization(X, 'us-east-1', '00') }, body: validCollaboration(),
    });
    if (res.status === 200) {
      assert.equal(res.json.collaboration.creatorAccountId, X);
      assert.equal((await call('DELETE', `/collaborations/${res.json.collaboration.id}`, { account: X })).status, 204);
    } else {
      assert.equal(res.status, 403, res.text);
      assert.match(res.errorType, /^(IncompleteSignature|InvalidSignature|UnrecognizedClient)Exception$/);
    }
  });
});
