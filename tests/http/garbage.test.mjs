// What the server answers to requests no SDK would send: unknown routes, broken JSON, wrong
// types, missing members, oversized and deeply nested bodies. None of it may crash the server.
// Reference: shared/spec/SPEC.md 2.1-2.4.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  assertError, assertValidation, authorization, call, createCollaboration, headerOf, newAccount, rawExchange,
  validCollaboration,
} from './wire.mjs';

const A = newAccount();
const ID = '0f0f0f0f-0000-4000-8000-00000000000a';

describe('routing', () => {
  it('an unknown route → 404 UnknownOperationException', async () => {
    assertError(await call('GET', '/nope', { account: A }), 404, 'UnknownOperationException');
    assertError(await call('GET', `/collaborations/${ID}/bogus`, { account: A }), 404, 'UnknownOperationException');
    assertError(await call('POST', '/', { account: A, body: {} }), 404, 'UnknownOperationException');
  });

  it('a known path with a method it does not serve → 404 UnknownOperationException', async () => {
    assertError(await call('PUT', '/collaborations', { account: A, body: validCollaboration() }), 404, 'UnknownOperationException');
    assertError(await call('POST', `/memberships/${ID}`, { account: A, body: {} }), 404, 'UnknownOperationException');
  });

  it('an operation outside the detailed scope is routed and answers 403 AccessDeniedException', async () => {
    assertError(await call('GET', `/memberships/${ID}/privacybudgets`, { account: A }), 403, 'AccessDeniedException');
    assertError(await call('GET', `/memberships/${ID}/protectedJobs`, { account: A }), 403, 'AccessDeniedException');
  });
});

describe('malformed bodies → 400 ValidationException', () => {
  it('invalid JSON', async () => {
    assertValidation(await call('POST', '/collaborations', {
      account: A, raw: '{"name": "x", ', headers: { 'content-type': 'application/json' },
    }));
    assertValidation(await call('POST', '/memberships', {
      account: A, raw: 'not json at all', headers: { 'content-type': 'application/json' },
    }));
  });

  it('a body that is a JSON array, string, number or null', async () => {
    for (const raw of ['[]', `[${JSON.stringify(validCollaboration())}]`, '"text"', '42', 'null']) {
      assertValidation(await call('POST', '/collaborations', { account: A, raw, headers: { 'content-type': 'application/json' } }));
    }
  });

  it('invalid UTF-8 inside a string', async () => {
    const raw = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    assertValidation(await call('POST', '/collaborations', { account: A, raw, headers: { 'content-type': 'application/json' } }));
  });

  it('wrong JSON types name the offending members', async () => {
    assertValidation(await call('POST', '/collaborations', {
      account: A, body: validCollaboration({ name: 5, members: {} }),
    }), ['name', 'members']);
    assertValidation(await call('POST', '/collaborations', {
      account: A, body: validCollaboration({ creatorMemberAbilities: 'CAN_QUERY' }),
    }), ['creatorMemberAbilities']);
    assertValidation(await call('POST', '/collaborations', {
      account: A, body: validCollaboration({ isMetricsEnabled: 'true' }),
    }), ['isMetricsEnabled']);
    assertValidation(await call('POST', '/collaborations', {
      account: A, body: validCollaboration({ tags: { k: 7 } }),
    }), [/^tags/]);
    assertValidation(await call('POST', '/collaborations', {
      account: A, body: validCollaboration({ members: [{ accountId: 111111111111, displayName: 'n', memberAbilities: [] }] }),
    }), [/^members\.\d+\.accountId$/]);
  });

  it('missing required members are all listed in fieldList', async () => {
    assertValidation(await call('POST', '/collaborations', { account: A, body: {} }),
      ['members', 'name', 'description', 'creatorMemberAbilities', 'creatorDisplayName', 'queryLogStatus']);
    assertValidation(await call('POST', '/memberships', { account: A, body: {} }), ['collaborationIdentifier', 'queryLogStatus']);
    assertValidation(await call('POST', '/collaborations', {
      account: A, body: validCollaboration({ members: [{ displayName: 'no id' }] }),
    }), [/^members\.\d+\.accountId$/, /^members\.\d+\.memberAbilities$/]);
  });

  it('an empty body on an operation with required members', async () => {
    assertValidation(await call('POST', '/collaborations', { account: A }), ['queryLogStatus']);
  });

  it('a union with no member', async () => {
    const col = await createCollaboration(A, { creatorMemberAbilities: ['CAN_RECEIVE_RESULTS'] });
    assertValidation(await call('POST', '/memberships', {
      account: A,
      body: { collaborationIdentifier: col.id, queryLogStatus: 'DISABLED', defaultResultConfiguration: { outputConfiguration: {} } },
    }));
    assert.equal((await call('DELETE', `/collaborations/${col.id}`, { account: A })).status, 204);
  });

  it('query parameters of the wrong type or out of range', async () => {
    assertValidation(await call('GET', '/collaborations?maxResults=abc', { account: A }), ['maxResults']);
    assertValidation(await call('GET', '/collaborations?maxResults=99999999999999999999', { account: A }), ['maxResults']);
    assertValidation(await call('GET', '/collaborations?maxResults=-1', { account: A }), ['maxResults']);
    assertValidation(await call('GET', '/collaborations?memberStatus=BOGUS', { account: A }), ['memberStatus']);
  });

  it('a nextToken one character over its 10240 maximum (a 10 KB request line must be parsed)', async () => {
    assertValidation(await call('GET', `/collaborations?nextToken=${'x'.repeat(10241)}`, { account: A }), ['nextToken']);
  });

  it('UntagResource without tagKeys', async () => {
    const arn = `arn:aws:cleanrooms:us-east-1:${A}:collaboration/${ID}`;
    assertValidation(await call('DELETE', `/tags/${encodeURIComponent(arn)}`, { account: A }), ['tagKeys']);
  });
});

describe('limits', () => {
  it('a body over 1 MiB → 413 (and the connection answers before the server gives up)', async () => {
    const body = JSON.stringify(validCollaboration({ description: 'd'.repeat(1024 * 1024 + 512) }));
    const head = [
      'POST /collaborations HTTP/1.1',
      `Host: 127.0.0.1`,
      `Authorization: ${authorization(A)}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '', '',
    ].join('\r\n');
    const res = await rawExchange([head, body]);
    assert.equal(res.status, 413, `status line of the answer (socket error: ${res.error}; got ${JSON.stringify(res.text.slice(0, 200))})`);
    assert.ok(headerOf(res.text, 'x-amzn-RequestId'), 'x-amzn-RequestId on the 413');
  });

  it('deep JSON nesting → 400, not a crash', async () => {
    for (const depth of [100, 10_000, 100_000]) {
      const raw = `{"name":${'['.repeat(depth)}${']'.repeat(depth)},"tags":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      assertValidation(await call('POST', '/collaborations', { account: A, raw, headers: { 'content-type': 'application/json' } }));
    }
    assert.equal((await fetch(`${process.env.CLEANROOMSD_ENDPOINT ?? 'http://127.0.0.1:8080'}/health`)).status, 200);
  });

  it('a very long path and a huge header are refused cleanly', async () => {
    const longPath = `/collaborations/${'a'.repeat(16_000)}`;
    const res1 = await rawExchange([`GET ${longPath} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
    assert.ok(res1.status === null || (res1.status >= 400 && res1.status < 500), `4xx or closed, got ${res1.status}`);
    const res2 = await rawExchange([`GET /collaborations HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(200_000)}\r\nConnection: close\r\n\r\n`]);
    assert.ok(res2.status === null || (res2.status >= 400 && res2.status < 500), `4xx or closed, got ${res2.status}`);
  });

  it('garbage that is not HTTP gets a 400 or a closed connection', async () => {
    for (const junk of ['GARBAGE\r\n\r\n', '\x00\x01\x02\x03\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n',
      'POST /collaborations HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc']) {
      const res = await rawExchange([junk], { timeoutMs: 3000 });
      assert.ok(res.status === null || res.status === 400 || res.status === 404 || res.status === 408 || res.status === 505,
        `unexpected answer ${res.status} to ${JSON.stringify(junk)}`);
    }
  });
});

describe('error bodies carry the modeled members', () => {
  it('AccessDeniedException for an unknown collaboration (not 404)', async () => {
    const body = assertError(await call('GET', `/collaborations/${ID}`, { account: A }), 403, 'AccessDeniedException');
    assert.equal(typeof body.message, 'string');
  });

  it('ResourceNotFoundException has resourceId and resourceType', async () => {
    const body = assertError(await call('GET', `/memberships/${ID}`, { account: A }), 404, 'ResourceNotFoundException');
    assert.equal(typeof body.message, 'string');
    assert.equal(body.resourceId, ID);
    assert.equal(body.resourceType, 'MEMBERSHIP');
  });

  it('ServiceQuotaExceededException has quotaName and a numeric quotaValue', async () => {
    const members = Array.from({ length: 6 }, (_, i) => ({ accountId: newAccount(), displayName: `m${i}`, memberAbilities: [] }));
    const body = assertError(await call('POST', '/collaborations', { account: A, body: validCollaboration({ members }) }),
      402, 'ServiceQuotaExceededException');
    assert.equal(typeof body.message, 'string');
    assert.equal(body.quotaName, 'Members invited per collaboration');
    assert.equal(typeof body.quotaValue, 'number');
    assert.equal(body.quotaValue, 5);
  });

  it('ValidationException: reason FIELD_VALIDATION_FAILED and one fieldList entry per field', async () => {
    const body = assertValidation(await call('GET', '/memberships?maxResults=0', { account: A }), ['maxResults']);
    assert.equal(body.reason, 'FIELD_VALIDATION_FAILED');
    assert.equal(body.fieldList.length, 1);
  });
});

after(async () => {
  // the server survived everything above
  const res = await fetch(`${process.env.CLEANROOMSD_ENDPOINT ?? 'http://127.0.0.1:8080'}/health`);
  assert.equal(res.status, 200);
});
