// Shared helpers of the SDK acceptance suites: one client per account, fresh account ids,
// and assertions on modeled errors. The server's address comes from CLEANROOMSD_ENDPOINT.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CleanRooms } from '@aws-sdk/client-cleanrooms';
import { ENDPOINT, UUID_RE, newAccount as openAccount } from '../http/wire.mjs';
import { claimIdentity, identityOf } from './identities.mjs';

export { UUID_RE };
export const REGION = 'us-east-1';

// Against a `--auth sigv4` server (CLEANROOMSD_CREDENTIALS names its credentials file) every
// account is an identity of that file, claimed for this process alone; in open mode the access
// key id IS the account, so any fresh 12-digit id will do.
export function newAccount() {
  return process.env.CLEANROOMSD_CREDENTIALS ? claimIdentity().account : openAccount();
}

// One client per account. maxAttempts 1 so that a 5xx shows up as the failure it is instead of
// being retried away.
export function clientFor(account, region = REGION) {
  const id = process.env.CLEANROOMSD_CREDENTIALS ? identityOf(account) : undefined;
  return new CleanRooms({
    endpoint: ENDPOINT,
    region,
    credentials: id
      ? { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey }
      : { accessKeyId: account, secretAccessKey: 'x' },
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

// The server's local data catalog (a Glue table db.tbl is the CSV file <catalog>/db/tbl.csv; see
// catalog/README.md): $CLEANROOMSD_CATALOG_DIR, else $CLEANROOMSD_DATA_DIR/catalog, the server's
// default. The suites that write catalog files need one of the two.
export function catalogDir() {
  const dir = process.env.CLEANROOMSD_CATALOG_DIR
    ?? (process.env.CLEANROOMSD_DATA_DIR && path.join(process.env.CLEANROOMSD_DATA_DIR, 'catalog'));
  assert.ok(dir, 'set CLEANROOMSD_DATA_DIR (or CLEANROOMSD_CATALOG_DIR) to the server\'s data directory');
  return dir;
}

// A database name no other run uses: Glue database names are [a-zA-Z0-9_] words joined by '-'.
export function uniqueDatabase(prefix = 'db') {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

// Writes the catalog table `database.table` as CSV: `rows` is a list of rows (the first one names
// the columns), each a list of values (written as is, so no commas inside). `sidecar`, when
// given, is written beside it as <table>.schema.json ({columns:[{name,type}], partitionKeys}).
// Returns the CSV's path.
export function writeCatalogCsv(database, table, rows, sidecar) {
  const dir = path.join(catalogDir(), database);
  fs.mkdirSync(dir, { recursive: true });
  const csv = path.join(dir, `${table}.csv`);
  fs.writeFileSync(csv, rows.map((r) => r.join(',')).join('\n') + '\n');
  const side = path.join(dir, `${table}.schema.json`);
  if (sidecar !== undefined) fs.writeFileSync(side, JSON.stringify(sidecar));
  else fs.rmSync(side, { force: true });
  return csv;
}
