// SigV4 verification (`serve --auth sigv4 --credentials FILE`), driven by real clients: the JS
// SDK with the right and wrong secrets, requests signed by the SDK's own signer and then
// tampered with, and the AWS CLI reading the same credentials file. Needs CLEANROOMSD_ENDPOINT
// (a server started with --auth sigv4) and CLEANROOMSD_CREDENTIALS (its credentials file).
// Reference: SPEC.md 3.1; AWS Signature Version 4 (the 15-minute window, the error names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CleanRooms } from '@aws-sdk/client-cleanrooms';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ENDPOINT } from '../../http/wire.mjs';
import { REGION, assertOk, clientFor, collaborationInput, expectError, member } from '../helpers.mjs';
import { claimIdentity } from '../identities.mjs';

const run = promisify(execFile);
const CREDENTIALS = process.env.CLEANROOMSD_CREDENTIALS;
assert.ok(CREDENTIALS, 'CLEANROOMSD_CREDENTIALS must name the --credentials file of the server');

function clientWith(accessKeyId, secretAccessKey, extra = {}) {
  return new CleanRooms({ endpoint: ENDPOINT, region: REGION, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1, ...extra });
}

// A request signed by the SDK's signer, as plain fetch arguments we can then tamper with.
async function signed(id, { method = 'POST', path = '/collaborations', body, query, signingDate, service = 'cleanrooms', region = REGION } = {}) {
  const url = new URL(ENDPOINT);
  const signer = new SignatureV4({ service, region, sha256: Sha256, credentials: { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey } });
  const request = {
    method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query: query ?? {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  };
  const s = await signer.sign(request, signingDate ? { signingDate } : {});
  const qs = new URLSearchParams(s.query).toString();
  return { url: `${ENDPOINT}${s.path}${qs ? '?' + qs : ''}`, init: { method: s.method, headers: { ...s.headers }, body: s.body } };
}

async function send({ url, init }) {
  const { host, ...headers } = init.headers; // fetch sets Host itself (to the same value)
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: text ? JSON.parse(text) : {}, requestId: res.headers.get('x-amzn-requestid') };
}

function refused(res, type, messagePart) {
  assert.equal(res.status, 403, JSON.stringify(res.body));
  assert.equal(res.type, type, JSON.stringify(res.body));
  assert.ok(res.requestId, 'a refusal carries x-amzn-RequestId');
  if (messagePart) assert.ok(res.body.message.includes(messagePart), res.body.message);
}

const collaboration = (account) => JSON.stringify(collaborationInput({ members: [], creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] }));

test('the SDK with the right secret acts as the account of its identity', async () => {
  const a = claimIdentity();
  const client = clientWith(a.accessKeyId, a.secretAccessKey);
  const created = assertOk(await client.createCollaboration(collaborationInput({ members: [] })));
  assert.equal(created.collaboration.creatorAccountId, a.account, 'the account is aws_account_id, not the key id');
  const got = assertOk(await client.getCollaboration({ collaborationIdentifier: created.collaboration.id }));
  assert.equal(got.collaboration.id, created.collaboration.id);
  const listed = assertOk(await client.listCollaborations({}));
  assert.deepEqual(listed.collaborationList.map((c) => c.id), [created.collaboration.id]);
  // Another identity of the same file is another account and sees nothing of it.
  const b = claimIdentity();
  await expectError(clientWith(b.accessKeyId, b.secretAccessKey).getCollaboration({ collaborationIdentifier: created.collaboration.id }), 'AccessDeniedException', 403);
});

test('a wrong secret, an unknown key or a foreign service scope is refused by the SDK call', async () => {
  const a = claimIdentity();
  const wrong = await expectError(clientWith(a.accessKeyId, a.secretAccessKey + 'x').listCollaborations({}), 'InvalidSignatureException', 403);
  assert.match(wrong.message, /signature we calculated does not match/);
  assert.ok(!wrong.message.includes(a.secretAccessKey), 'the message never shows the secret');
  await expectError(clientWith('AKIANOTAKNOWNKEY0000', a.secretAccessKey).listCollaborations({}), 'UnrecognizedClientException', 403);
  // A 12-digit key id is not an account in sigv4 mode: only the file's identities are.
  await expectError(clientWith(a.account, a.secretAccessKey).listCollaborations({}), 'UnrecognizedClientException', 403);
  refused(await send(await signed(a, { method: 'GET', service: 's3' })), 'InvalidSignatureException', "scoped to correct service: 'cleanrooms'");
});

test('no Authorization header: MissingAuthenticationTokenException, for known and unknown paths alike', async () => {
  for (const [method, path] of [['GET', '/collaborations'], ['POST', '/collaborations'], ['GET', '/no/such/operation']]) {
    const res = await fetch(ENDPOINT + path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    const body = await res.json();
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.equal(body.message, 'Missing Authentication Token');
  }
  const health = await fetch(ENDPOINT + '/health');
  assert.equal(health.status, 200, '/health stays open for probes');
});

test('a signed request that was tampered with is refused and changes nothing', async () => {
  const a = claimIdentity();
  const client = clientWith(a.accessKeyId, a.secretAccessKey);
  const good = await signed(a, { body: collaboration(a.account) });
  const ok = await send(good);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));

  const body = await signed(a, { body: collaboration(a.account) });
  body.init.body = body.init.body.replace('"name":"', '"name":"evil ');
  refused(await send(body), 'InvalidSignatureException', 'does not match');

  const path = await signed(a, { method: 'GET', path: '/collaborations' });
  path.url = path.url.replace('/collaborations', '/memberships');
  refused(await send(path), 'InvalidSignatureException');

  const query = await signed(a, { method: 'GET', path: '/collaborations', query: { maxResults: '5' } });
  query.url = query.url.replace('maxResults=5', 'maxResults=6');
  refused(await send(query), 'InvalidSignatureException');

  const header = await signed(a, { body: collaboration(a.account) });
  header.init.headers['content-type'] = 'application/x-amz-json-1.1';
  refused(await send(header), 'InvalidSignatureException');

  const declared = await signed(a, { body: collaboration(a.account) });
  declared.init.headers['x-amz-content-sha256'] = '0'.repeat(64);
  refused(await send(declared), 'InvalidSignatureException', 'x-amz-content-sha256');

  // Only the untampered request created anything.
  const listed = assertOk(await client.listCollaborations({}));
  assert.equal(listed.collaborationList.length, 1);
});

test('a signature older or newer than 15 minutes is refused; within the window it is good', async () => {
  const a = claimIdentity();
  const minutes = (m) => new Date(Date.now() + m * 60_000);
  refused(await send(await signed(a, { method: 'GET', path: '/collaborations', signingDate: minutes(-20) })), 'InvalidSignatureException', 'Signature expired');
  refused(await send(await signed(a, { method: 'GET', path: '/collaborations', signingDate: minutes(20) })), 'InvalidSignatureException', 'Signature not yet current');
  assert.equal((await send(await signed(a, { method: 'GET', path: '/collaborations', signingDate: minutes(-10) }))).status, 200);
  assert.equal((await send(await signed(a, { method: 'GET', path: '/collaborations', signingDate: minutes(10) }))).status, 200);
});

test('missing signing headers are IncompleteSignatureException', async () => {
  const a = claimIdentity();
  const noDate = await signed(a, { method: 'GET', path: '/collaborations' });
  delete noDate.init.headers['x-amz-date'];
  refused(await send(noDate), 'IncompleteSignatureException', 'X-Amz-Date');

  const malformed = await signed(a, { method: 'GET', path: '/collaborations' });
  malformed.init.headers.authorization = malformed.init.headers.authorization.replace(/Signature=.*/, 'Signature=xyz');
  refused(await send(malformed), 'IncompleteSignatureException');

  const hostUnsigned = await signed(a, { method: 'GET', path: '/collaborations' });
  hostUnsigned.init.headers.authorization = hostUnsigned.init.headers.authorization.replace(/SignedHeaders=[^,]*/, 'SignedHeaders=x-amz-date');
  refused(await send(hostUnsigned), 'IncompleteSignatureException', "'Host'");
});

test('the credential scope region is the request region', async () => {
  const a = claimIdentity();
  const eu = clientFor(a.account, 'eu-west-1');
  const created = assertOk(await eu.createCollaboration(collaborationInput({ members: [] })));
  assert.match(created.collaboration.arn, /^arn:aws:cleanrooms:eu-west-1:/);
  await expectError(clientFor(a.account).getCollaboration({ collaborationIdentifier: created.collaboration.id }), 'AccessDeniedException', 403);
});

test('the AWS CLI reads the same credentials file (--profile) and is verified the same way', async () => {
  const a = claimIdentity();
  const b = claimIdentity();
  const env = { ...process.env, AWS_SHARED_CREDENTIALS_FILE: CREDENTIALS, AWS_CONFIG_FILE: '/dev/null', AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[k];
  const aws = (...args) => run('aws', ['--endpoint-url', ENDPOINT, '--output', 'json', ...args], { env, timeout: 60_000 });
  const created = JSON.parse((await aws('cleanrooms', 'create-collaboration', '--profile', a.profile, '--name', 'cli', '--description', 'd',
    '--creator-display-name', 'A', '--creator-member-abilities', 'CAN_QUERY', 'CAN_RECEIVE_RESULTS', '--members', '[]', '--query-log-status', 'DISABLED')).stdout);
  assert.equal(created.collaboration.creatorAccountId, a.account);
  const listed = JSON.parse((await aws('cleanrooms', 'list-collaborations', '--profile', a.profile)).stdout);
  assert.deepEqual(listed.collaborationList.map((c) => c.id), [created.collaboration.id]);
  const other = JSON.parse((await aws('cleanrooms', 'list-collaborations', '--profile', b.profile)).stdout);
  assert.deepEqual(other.collaborationList, []);
  // The right key with another secret: the CLI reports the server's InvalidSignatureException.
  const wrongEnv = { ...env, AWS_ACCESS_KEY_ID: a.accessKeyId, AWS_SECRET_ACCESS_KEY: 'not-the-secret' };
  const failed = await run('aws', ['--endpoint-url', ENDPOINT, 'cleanrooms', 'list-collaborations'], { env: wrongEnv, timeout: 60_000 }).then(
    () => assert.fail('the CLI call with a wrong secret succeeded'), (e) => e);
  assert.match(failed.stderr, /InvalidSignatureException/);
});
