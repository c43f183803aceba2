// Shared helpers of the SDK acceptance suites: one client per account, fresh account ids,
// and assertions on modeled errors. The server's address comes from CLEANROOMSD_ENDPOINT.
import assert from 'node:assert/strict';
import { CleanRooms } from '@aws-sdk/client-cleanrooms';
import { ENDPOINT, UUID_RE, newAccount } from '../http/wire.mjs';

export { UUID_RE, newAccount };
export const REGION = 'us-east-1';

// The access key id IS the account: one client per account. maxAttempts 1 so that a 5xx shows
// up as the failure it is instead of being retried away.
export function clientFor(account, region = REGION) {
  return new CleanRooms({
    endpoint: ENDPOINT,
    region,
    credentials: { accessKeyId: account, secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

// Every response, success or error, carries x-amzn-RequestId.
export function assertOk(resp, status = 200) {
  assert.equal(resp.$metadata.httpStatusCode, status);
  assert.ok(resp.$metadata.requestId, 'response carries x-amzn-RequestId');
  return resp;
}

// Awaits a call that must fail with the modeled exception `name` and HTTP `status`.
export async function expectError(promise, name, status) {
  const err = await promise.then(
    (v) => assert.fail(`expected ${name} (${status}), the call succeeded: ${JSON.stringify(v)}`),
    (e) => e,
  );
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
  assert.ok(err.$metadata?.requestId, 'error response carries x-amzn-RequestId');
  return err;
}

// ValidationException with the given reason; `fields` (strings or regexes) must each match
// one fieldList entry's name.
export async function expectValidation(promise, reason, fields = []) {
  const err = await expectError(promise, 'ValidationException', 400);
  assert.equal(err.reason, reason, `ValidationException.reason (${err.message})`);
  if (fields.length) {
    assert.ok(Array.isArray(err.fieldList), `fieldList present (${err.message})`);
    const names = err.fieldList.map((f) => f.name);
    for (const f of err.fieldList) {
      assert.equal(typeof f.name, 'string');
      assert.equal(typeof f.message, 'string');
    }
    for (const want of fields) {
      const hit = names.some((n) => (want instanceof RegExp ? want.test(n) : n === want));
      assert.ok(hit, `fieldList ${JSON.stringify(names)} names ${want}`);
    }
  }
  return err;
}

export function member(accountId, displayName, memberAbilities = [], extra = {}) {
  return { accountId, displayName, memberAbilities, ...extra };
}

// A valid CreateCollaboration input; override any member.
export function collaborationInput(overrides = {}) {
  return {
    name: 'acceptance',
    description: 'created by the acceptance suite',
    creatorDisplayName: 'Creator',
    creatorMemberAbilities: [],
    members: [],
    queryLogStatus: 'DISABLED',
    ...overrides,
  };
}

export const collaborationArn = (account, id, region = REGION) =>
  `arn:aws:cleanrooms:${region}:${account}:collaboration/${id}`;
export const membershipArn = (account, id, region = REGION) =>
  `arn:aws:cleanrooms:${region}:${account}:membership/${id}`;

export function assertTimestamp(t, what) {
  assert.ok(t instanceof Date, `${what} is a Date`);
  assert.ok(!Number.isNaN(t.getTime()), `${what} is a valid time`);
  // within a day of this machine's clock: the server stamps with its own clock
  assert.ok(Math.abs(t.getTime() - Date.now()) < 86_400_000, `${what} ${t.toISOString()} is about now`);
}
