// Raw HTTP helpers for the wire tests: plain fetch and plain sockets, no SDK, so that we can send
// what no SDK would send and see exactly what the server answers.
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomInt } from 'node:crypto';

export const ENDPOINT = process.env.CLEANROOMSD_ENDPOINT ?? 'http://127.0.0.1:8080';
export const DEFAULT_ACCOUNT = process.env.CLEANROOMSD_DEFAULT_ACCOUNT ?? '000000000000';
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Fresh 12-digit account ids for every run, so the suites can be re-run against a long-lived
// server without tripping the per-account quotas left behind by an earlier run.
export function newAccount() {
  return String(randomInt(1, 10)) + String(randomInt(0, 1e11)).padStart(11, '0');
}

// In open mode the server reads the account and region from the credential scope only; the
// signature is not checked, but it has the shape of a real one (64 hex digits).
export function authorization(account, region = 'us-east-1', signature = '0'.repeat(64)) {
  return `AWS4-HMAC-SHA256 Credential=${account}/20240101/${region}/cleanrooms/aws4_request, SignedHeaders=host, Signature=${signature}`;
}

function findNull(value, path = '$') {
  if (value === null) return path;
  if (typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const hit = findNull(v, `${path}.${k}`);
    if (hit) return hit;
  }
  return undefined;
}

// Properties every response must have, whatever the request was.
export function assertWellFormed(res, what) {
  const id = res.headers.get('x-amzn-requestid');
  assert.ok(id, `${what}: x-amzn-RequestId header present (status ${res.status})`);
  if (res.text.length > 0) {
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, `${what}: JSON content type`);
    assert.notEqual(res.json, undefined, `${what}: body is JSON: ${res.text.slice(0, 200)}`);
    assert.equal(findNull(res.json), undefined, `${what}: no null in the body (${findNull(res.json)})`);
  }
  if (res.status >= 400) {
    assert.ok(res.errorType, `${what}: x-amzn-ErrorType header on a ${res.status}`);
  }
}

// One request. `account: null` sends no Authorization header; `raw` is sent as the body as is.
export async function call(method, path, { account = '111111111111', region, body, raw, headers = {} } = {}) {
  const h = { ...headers };
  if (account !== null && h.authorization === undefined) h.authorization = authorization(account, region);
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const resp = await fetch(ENDPOINT + path, { method, headers: h, body: payload });
  const text = await resp.text();
  let json;
  if (text.length) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const errorType = resp.headers.get('x-amzn-errortype')?.split(':')[0];
  const res = { status: resp.status, headers: resp.headers, text, json, errorType };
  assertWellFormed(res, `${method} ${path}`);
  return res;
}

export function assertError(res, status, type) {
  assert.equal(res.status, status, `status (${res.errorType}: ${res.text.slice(0, 300)})`);
  assert.equal(res.errorType, type, `x-amzn-ErrorType (${res.text.slice(0, 300)})`);
  if (res.json?.__type !== undefined) assert.match(res.json.__type, new RegExp(`${type}$`));
  return res.json;
}

export function assertValidation(res, fields = []) {
  const body = assertError(res, 400, 'ValidationException');
  assert.equal(typeof body?.message, 'string', 'message');
  assert.ok(['FIELD_VALIDATION_FAILED', 'INVALID_CONFIGURATION', 'INVALID_QUERY'].includes(body.reason), `reason ${body.reason}`);
  if (fields.length) {
    assert.ok(Array.isArray(body.fieldList), `fieldList is a list: ${res.text}`);
    for (const f of body.fieldList) {
      assert.equal(typeof f.name, 'string');
      assert.equal(typeof f.message, 'string');
    }
    const names = body.fieldList.map((f) => f.name);
    for (const want of fields) {
      assert.ok(names.some((n) => (want instanceof RegExp ? want.test(n) : n === want)),
        `fieldList ${JSON.stringify(names)} names ${want}`);
    }
  }
  return body;
}

export function validCollaboration(overrides = {}) {
  return {
    name: 'wire',
    description: 'raw HTTP test',
    creatorDisplayName: 'Wire',
    creatorMemberAbilities: [],
    members: [],
    queryLogStatus: 'DISABLED',
    ...overrides,
  };
}

// CreateCollaboration that must succeed (set-up of a test); returns the collaboration.
export async function createCollaboration(account, overrides = {}, opts = {}) {
  const res = await call('POST', '/collaborations', { account, body: validCollaboration(overrides), ...opts });
  assert.equal(res.status, 200, `set-up CreateCollaboration: ${res.text.slice(0, 300)}`);
  return res.json.collaboration;
}

// Sends bytes over a fresh TCP connection and collects whatever comes back until the server
// closes (or the timeout). Write errors (EPIPE/ECONNRESET after an early answer) are tolerated:
// what matters is the response the server managed to send.
export function rawExchange(chunks, { timeoutMs = 10_000 } = {}) {
  const url = new URL(ENDPOINT);
  return new Promise((resolve) => {
    const sock = net.connect({ host: url.hostname, port: Number(url.port || 80) });
    const got = [];
    let error = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(got).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text, error });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('data', (d) => got.push(d));
    sock.on('error', (e) => {
      error = e.code ?? String(e);
      finish();
    });
    sock.on('close', finish);
    sock.on('connect', async () => {
      for (const c of chunks) {
        if (done) return;
        const ok = sock.write(c);
        if (!ok) await new Promise((r) => sock.once('drain', r).once('close', r));
      }
    });
  });
}

export function headerOf(rawText, name) {
  const head = rawText.split('\r\n\r\n')[0];
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
