#!/usr/bin/env node
// Crash-test harness (issue 10, parts 1 and 3). Node 20, no dependencies beyond node itself.
//
// Each cycle: a write-heavy mix of requests with many in flight against `cleanroomsd serve` on a
// loopback port, then SIGKILL (--mode kill) or SIGTERM (--mode term) at a random moment, then a
// restart on the same data directory, and checks:
//   - the server answers /health and acknowledges a write within a bound after the restart;
//   - the log (`cleanroomsd events --json`): the events of one request id are in one stream with
//     consecutive versions and never reappear later; an acknowledged request has exactly the events
//     its kind produces from the state it was sent in (payload included); a request answered with
//     an error has none; every other request id in the log is one request left without an answer
//     at the crash, with all of its events (a partial set matches nothing and is reported);
//   - the API (GetCollaboration, ListMembers, ListTagsForResource, GetMembership, ListCollaborations,
//     ListMemberships) answers exactly the model: every acknowledged write, plus the unanswered
//     requests the log shows as applied; nothing acknowledged is undone;
//   - `cleanroomsd verify` passes on the live server's data directory.
// In term mode also: the process exits 0 within a bound and every in-flight request ends cleanly
// (2xx, an error answer, or a closed connection) within a bound.
//
// Ordering: writes are serialised per resource key by the load generator (a collaboration's name,
// its tags, each member's record+membership+membership tags; DeleteCollaboration takes the whole
// collaboration), so at most one unanswered write per key exists at a crash and the model's state
// before every request is exactly the state the server decides it on. Writes to different keys of
// one collaboration do run concurrently (same actor, same stream).
//
// Usage: node tests/crash/crash_test.mjs --work-dir DIR [--cycles N] [--seed S] [--mode kill|term]
//        [--concurrency N] [--accounts N] [--min-load-ms MS] [--max-load-ms MS] [--binary PATH]
//        [--max-seconds S] [--recovery-bound-ms MS] [--strict-tools]
// The data directory is DIR/data; server logs go to DIR/server.log, the requests of the last
// cycles to DIR/requests-<cycle>.jsonl. Exit status 0 = no violation, 1 = violation or harness
// error, 2 = usage.
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

// ---------------------------------------------------------------------------------------------
// Options
function usage(msg) {
  if (msg) console.error(`crash_test: ${msg}`);
  console.error('usage: crash_test.mjs --work-dir DIR [--cycles N] [--seed S] [--mode kill|term] ' +
    '[--concurrency N] [--accounts N] [--min-load-ms MS] [--max-load-ms MS] [--binary PATH] ' +
    '[--max-seconds S] [--recovery-bound-ms MS] [--strict-tools]');
  process.exit(2);
}
function parseArgs(argv) {
  const o = {
    workDir: null, cycles: 5, seed: null, mode: 'kill', concurrency: 48, accounts: 48,
    minLoadMs: 300, maxLoadMs: 2500, binary: path.join(repoRoot, 'build/cleanroomsd'),
    maxSeconds: null, recoveryBoundMs: 10000, strictTools: false,
  };
  const num = (flag, v, min) => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) usage(`${flag} needs an integer >= ${min}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '--work-dir': if (!v) usage('--work-dir needs a value'); o.workDir = v; i++; break;
      case '--cycles': o.cycles = num(a, v, 1); i++; break;
      case '--seed': o.seed = num(a, v, 0) >>> 0; i++; break;
      case '--mode': if (v !== 'kill' && v !== 'term') usage('--mode is kill or term'); o.mode = v; i++; break;
      case '--concurrency': o.concurrency = num(a, v, 1); i++; break;
      case '--accounts': o.accounts = num(a, v, 8); i++; break;
      case '--min-load-ms': o.minLoadMs = num(a, v, 1); i++; break;
      case '--max-load-ms': o.maxLoadMs = num(a, v, 1); i++; break;
      case '--binary': if (!v) usage('--binary needs a value'); o.binary = v; i++; break;
      case '--max-seconds': o.maxSeconds = num(a, v, 1); i++; break;
      case '--recovery-bound-ms': o.recoveryBoundMs = num(a, v, 100); i++; break;
      case '--strict-tools': o.strictTools = true; break;
      case '-h': case '--help': usage();
      // falls through
      default: usage(`unknown argument ${a}`);
    }
  }
  if (!o.workDir) usage('--work-dir is required');
  if (o.maxLoadMs < o.minLoadMs) usage('--max-load-ms is below --min-load-ms');
  if (o.seed === null) o.seed = randomInt(0, 2 ** 31);
  if (o.maxSeconds === null) o.maxSeconds = 180 + o.cycles * 90;
  return o;
}
const opt = parseArgs(process.argv.slice(2));
const dataDir = path.join(opt.workDir, 'data');
const serverLog = path.join(opt.workDir, 'server.log');
fs.mkdirSync(dataDir, { recursive: true });

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32). The seed fixes account ids, kill delays and the stream of choices;
// the interleaving of concurrent requests still depends on timing.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(opt.seed);
const rint = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const chance = (p) => rand() < p;
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
function shuffle(arr) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}
function newAccountId(taken) {
  for (;;) {
    let s = String(rint(1, 9));
    for (let i = 0; i < 11; i++) s += String(rint(0, 9));
    if (!taken.has(s)) return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Failure handling: the server is always killed when the harness exits, however it exits.
let child = null; // the running server
const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
function killServerNow() {
  if (child && child.exitCode === null && child.signalCode === null) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killServerNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`crash_test: ${sig} received, killing the server and stopping`);
    killServerNow();
    process.exit(1);
  });
}
class Violation extends Error {
  constructor(lines) {
    const list = Array.isArray(lines) ? lines : [lines];
    super(list.join('\n'));
    this.lines = list;
  }
}
function fail(lines) {
  const list = Array.isArray(lines) ? lines : [lines];
  console.error('');
  console.error(`VIOLATION (seed ${opt.seed}, mode ${opt.mode}, cycle ${currentCycle}):`);
  for (const l of list.slice(0, 60)) console.error(`  - ${l}`);
  if (list.length > 60) console.error(`  ... and ${list.length - 60} more`);
  console.error(`data directory: ${dataDir}; server log: ${serverLog}; requests: ${opt.workDir}/requests-${currentCycle}.jsonl`);
  console.error(`repeat with: bash tests/crash/run.sh --cycles ${opt.cycles} --seed ${opt.seed} --mode ${opt.mode}`);
  killServerNow();
  process.exit(1);
}
process.on('uncaughtException', (e) => {
  console.error(`crash_test: harness error: ${e?.stack ?? e}`);
  killServerNow();
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  console.error(`crash_test: harness error: ${e?.stack ?? e}`);
  killServerNow();
  process.exit(1);
});
const watchdog = setTimeout(() => {
  console.error(`crash_test: the run exceeded its bound of ${opt.maxSeconds} s (cycle ${currentCycle})`);
  killServerNow();
  process.exit(1);
}, opt.maxSeconds * 1000);
watchdog.unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

// ---------------------------------------------------------------------------------------------
// HTTP
const SIG = '0'.repeat(64);
const auth = (account) =>
  `AWS4-HMAC-SHA256 Credential=${account}/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=${SIG}`;

// One request. Never rejects: { status, requestId, errorType, json, text } when an answer was fully
// received, { error } otherwise (connection refused/reset/closed mid-answer, or the harness's own
// timeout).
function httpCall(conn, method, pathname, account, body, timeoutMs) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { authorization: auth(account) };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    let done = false;
    let timer = null;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.request({ host: '127.0.0.1', port: conn.port, method, path: pathname, headers, agent: conn.agent });
    timer = setTimeout(() => {
      const e = new Error(`no complete answer within ${timeoutMs} ms`);
      e.code = 'HARNESS_TIMEOUT';
      req.destroy(e);
    }, timeoutMs);
    req.on('error', (e) => finish({ error: e.code ?? e.message }));
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (e) => finish({ error: e.code ?? e.message, partialStatus: res.statusCode }));
      res.on('close', () => {
        if (!res.complete) return finish({ error: 'ANSWER_INCOMPLETE', partialStatus: res.statusCode });
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        finish({
          status: res.statusCode,
          requestId: res.headers['x-amzn-requestid'],
          errorType: res.headers['x-amzn-errortype']?.split(':')[0],
          json,
          text,
        });
      });
    });
    req.end(payload);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Server process
function tailOf(file, n = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

async function healthOnce(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 500 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

// Starts the server on a free port; resolves once /health answers 200. Returns timings measured
// from the spawn. A port taken between choosing and binding is retried with another one.
async function startServer(boundMs) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const logFd = fs.openSync(serverLog, 'a');
    fs.writeSync(logFd, `--- ${new Date().toISOString()} harness: serve on 127.0.0.1:${port} (cycle ${currentCycle})\n`);
    const spawnedAt = now();
    const proc = spawn(opt.binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir],
      { stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    child = proc;
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, at: now() })));
    proc.exitedP = exited;
    let exit = null;
    exited.then((e) => { exit = e; });
    while (now() - spawnedAt < boundMs) {
      if (exit) break;
      if (await healthOnce(port)) {
        return { proc, port, spawnedAt, healthMs: now() - spawnedAt, exited };
      }
      await sleep(10);
    }
    if (exit) {
      const log = tailOf(serverLog);
      if (/cannot listen/.test(log) && attempt < 4) continue;
      throw new Violation(`the server exited (code ${exit.code}, signal ${exit.signal}) before answering /health; log:\n${log}`);
    }
    throw new Violation(`the server did not answer /health within ${boundMs} ms of its start (data dir ${dataDir})`);
  }
  throw new Error('no free port');
}

function runToolOnce(args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(opt.binary, args, { maxBuffer: 1 << 30, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, signal: err?.signal, stdout, stderr });
    });
  });
}
// The read-only tools (`events`, `verify`) open the store with RocksDB's OpenForReadOnly next to
// the live server; when the server deletes a table file (compaction after a flush) between the
// tool reading the MANIFEST and opening the file, the tool fails with "No such file or directory".
// That is a bug of the tools (reported), not of crash consistency: retried here, counted, and
// reported in the summary; --strict-tools makes it a violation.
const toolRaces = [];
async function runTool(args, timeoutMs) {
  for (let attempt = 1; ; attempt++) {
    const r = await runToolOnce(args, timeoutMs);
    const race = r.code !== 0 && /No such file or directory|while stat a file|Can't access/.test(r.stderr);
    if (!race || attempt >= 5) return r;
    const line = r.stderr.trim().split('\n')[0];
    toolRaces.push(`cycle ${currentCycle}: cleanroomsd ${args[0]}: ${line}`);
    console.log(`WARNING: cycle ${currentCycle}: cleanroomsd ${args[0]} failed to open the live store (attempt ${attempt}, retrying): ${line}`);
    if (opt.strictTools) return r;
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------
// The model: what the API must answer, built from acknowledged writes (and, after each crash, from
// the unanswered writes the log shows as applied).
const REGION = 'us-east-1';
const accounts = new Map(); // id -> { id, created, pendingCreates, memberships, pendingMemberships }
const pool = []; // accounts that create collaborations and are invited
const collabs = new Map(); // cid -> collaboration
const liveCollabs = []; // may hold deleted ones; cleaned lazily
const memberships = new Map(); // mid -> membership
const liveMemberships = []; // may hold deleted ones; cleaned lazily
const deletedCollabs = []; // deleted since the last check (GetCollaboration must answer 403)
const deletedMemberships = []; // deleted since the last check (GetMembership must answer 404)
function account(id) {
  let a = accounts.get(id);
  if (!a) {
    a = { id, created: 0, pendingCreates: 0, memberships: 0, pendingMemberships: 0 };
    accounts.set(id, a);
  }
  return a;
}
const collabArn = (creator, cid) => `arn:aws:cleanrooms:${REGION}:${creator}:collaboration/${cid}`;
const membershipArn = (acct, mid) => `arn:aws:cleanrooms:${REGION}:${acct}:membership/${mid}`;
const MEMBERS_PER_COLLAB = 5;
const COLLABS_PER_ACCOUNT = 10;
const MEMBERSHIPS_PER_ACCOUNT = 100;

function remember(res, req) { // last writes of a resource, for messages
  res.hist.push(`${req.kind} r${req.seq} ${req.outcome}${req.requestId ? ` req=${req.requestId}` : ''} (cycle ${req.cycle})`);
  if (res.hist.length > 6) res.hist.shift();
}

// Locks: per collaboration, shared + one exclusive key per resource, or the whole collaboration.
function lockKey(c, key) {
  if (c.excl || (key && c.keys.has(key))) return null;
  c.shared++;
  if (key) c.keys.add(key);
  return { c, key };
}
function lockAll(c) {
  if (c.excl || c.shared) return null;
  c.excl = true;
  return { c, excl: true };
}
function unlock(l) {
  if (l.excl) l.c.excl = false;
  else {
    l.c.shared--;
    if (l.key) l.c.keys.delete(l.key);
  }
}

function liveCollab() { // a random live, not exclusively locked collaboration
  for (let i = 0; i < 4 && liveCollabs.length; i++) {
    const k = Math.floor(rand() * liveCollabs.length);
    const c = liveCollabs[k];
    if (c.deleted) {
      liveCollabs[k] = liveCollabs[liveCollabs.length - 1];
      liveCollabs.pop();
      continue;
    }
    if (!c.excl) return c;
  }
  return null;
}
function someMembership() {
  for (let i = 0; i < 4 && liveMemberships.length; i++) {
    const k = Math.floor(rand() * liveMemberships.length);
    const m = liveMemberships[k];
    if (m.deleted) {
      liveMemberships[k] = liveMemberships[liveMemberships.length - 1];
      liveMemberships.pop();
      continue;
    }
    return m;
  }
  return null;
}

// Effects, shared by the acknowledgement path and the "applied at the crash" path.
function addCollab(req, cid) {
  const b = req.body;
  const creator = req.account;
  const members = new Map();
  members.set(creator, { status: 'INVITED', mid: null });
  for (const m of b.members) members.set(m.accountId, { status: 'INVITED', mid: null });
  const c = {
    id: cid, arn: collabArn(creator, cid), creator, name: b.name, deleted: false,
    tags: new Map(Object.entries(b.tags ?? {})), members, payer: req.payer,
    shared: 0, excl: false, keys: new Set(), hist: [],
  };
  collabs.set(cid, c);
  liveCollabs.push(c);
  account(creator).created++;
  remember(c, req);
  return c;
}
function addMembership(req, mid) {
  const c = req.c;
  const m = {
    id: mid, arn: membershipArn(req.account, mid), account: req.account, c, status: 'ACTIVE',
    queryLog: req.body.queryLogStatus, tags: new Map(Object.entries(req.body.tags ?? {})), deleted: false, hist: [],
  };
  memberships.set(mid, m);
  liveMemberships.push(m);
  const rec = c.members.get(req.account);
  rec.status = 'ACTIVE';
  rec.mid = mid;
  account(req.account).memberships++;
  remember(m, req);
  remember(c, req);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Request kinds. Each builder picks a target the model allows, takes its locks and says what the
// server must write: `types` (the exact event type sequence) and `matchPayload` (the rest).
let seq = 0;
const TAG_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
function someTags(s) {
  const t = {};
  for (const k of shuffle(TAG_KEYS.slice()).slice(0, rint(1, 3))) t[k] = `v${s}`;
  return t;
}
const sameMap = (a, b) => {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};
const sameSet = (a, b) => a.length === b.length && new Set(a).size === new Set([...a, ...b]).size;

function newReq(kind, account, method, pathname, body, fields) {
  return { seq: ++seq, cycle: currentCycle, kind, account, method, path: pathname, body, locks: [], outcome: 'pending', ...fields };
}

function buildCreateCollaboration(creatorId, probe = false) {
  const creator = account(creatorId);
  if (!probe && creator.created + creator.pendingCreates >= COLLABS_PER_ACCOUNT) return null;
  const s = seq + 1;
  const others = shuffle(pool.filter((a) => a !== creatorId)).slice(0, rint(probe ? 1 : 0, MEMBERS_PER_COLLAB));
  // one querier (the default query-compute payer), or none
  const q = chance(0.5) ? -1 : others.length && chance(0.7) ? rint(0, others.length - 1) : -2;
  const members = others.map((a, i) => ({
    accountId: a, displayName: `m${i}`,
    memberAbilities: i === q ? ['CAN_QUERY'] : chance(0.3) ? ['CAN_RECEIVE_RESULTS'] : [],
  }));
  const body = {
    name: `c${s}`, description: `crash-test seed ${opt.seed} r${s}`, creatorDisplayName: 'creator',
    creatorMemberAbilities: q === -1 ? ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] : [],
    members, queryLogStatus: 'ENABLED',
  };
  if (chance(0.6)) body.tags = someTags(s);
  const payer = q === -1 ? creatorId : q >= 0 ? others[q] : null;
  const types = ['CollaborationCreated', ...Array(members.length + 1).fill('MemberInvited'),
    ...(payer ? ['PaymentAssigned'] : []), ...(body.tags ? ['TagsChanged'] : [])];
  creator.pendingCreates++;
  const req = newReq('CreateCollaboration', creatorId, 'POST', '/collaborations', body, { types, payer, probe });
  req.release = () => { creator.pendingCreates--; };
  req.matchPayload = (g) => {
    const p = g.events[0].payload;
    if (p.description !== body.description || p.name !== body.name) return `description/name ${JSON.stringify([p.description, p.name])}`;
    if (req.cid && p.collaborationId !== req.cid) return `collaborationId ${p.collaborationId}, the answer said ${req.cid}`;
    if (g.stream !== `collaboration-${p.collaborationId}`) return `stream ${g.stream}`;
    const invited = g.events.filter((e) => e.type === 'MemberInvited').map((e) => e.payload.member.accountId);
    const want = [creatorId, ...others];
    if (invited.join() !== want.join()) return `invited ${invited.join()} instead of ${want.join()}`;
    const pay = g.events.find((e) => e.type === 'PaymentAssigned');
    if (pay && (pay.payload.accountId !== payer || pay.payload.dimension !== 'queryCompute')) return `payer ${JSON.stringify(pay.payload)}`;
    const tc = g.events.find((e) => e.type === 'TagsChanged');
    if (tc && (!sameMap(tc.payload.set, body.tags) || tc.payload.resourceArn !== collabArn(creatorId, p.collaborationId))) return `tags ${JSON.stringify(tc.payload)}`;
    return null;
  };
  req.onAck = (r) => {
    const id = r.json?.collaboration?.id;
    if (!id) return `CreateCollaboration answered ${r.status} without collaboration.id: ${r.text.slice(0, 200)}`;
    req.cid = id;
    addCollab(req, id);
    return null;
  };
  req.onApplied = (g) => { req.cid = g.events[0].payload.collaborationId; addCollab(req, req.cid); };
  return req;
}

function buildUpdateCollaboration() {
  const c = liveCollab();
  if (!c) return null;
  const l = lockKey(c, 'name');
  if (!l) return null;
  const s = seq + 1;
  const req = newReq('UpdateCollaboration', c.creator, 'PATCH', `/collaborations/${c.id}`, { name: `n${s}` },
    { c, cid: c.id, types: ['CollaborationUpdated'] });
  req.locks.push(l);
  req.matchPayload = (g) => (g.events[0].payload.name === `n${s}` ? null : `name ${g.events[0].payload.name}`);
  req.onApplied = () => { c.name = `n${s}`; remember(c, req); };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

function buildDeleteCollaboration() {
  const c = liveCollab();
  if (!c) return null;
  const l = lockAll(c);
  if (!l) return null;
  const active = [...memberships.values()].filter((m) => m.c === c && !m.deleted && m.status === 'ACTIVE').map((m) => m.id);
  const req = newReq('DeleteCollaboration', c.creator, 'DELETE', `/collaborations/${c.id}`, undefined,
    { c, cid: c.id, types: ['CollaborationDeleted', ...active.map(() => 'MembershipStatusChanged')] });
  req.locks.push(l);
  req.matchPayload = (g) => {
    const ids = g.events.slice(1).map((e) => e.payload.membershipId);
    if (!sameSet(ids, active)) return `memberships ${ids.join()} set to COLLABORATION_DELETED, expected ${active.join()}`;
    if (g.events.slice(1).some((e) => e.payload.status !== 'COLLABORATION_DELETED')) return 'status not COLLABORATION_DELETED';
    return null;
  };
  req.onApplied = () => {
    c.deleted = true;
    c.tags = new Map();
    account(c.creator).created--;
    for (const m of memberships.values()) {
      if (m.c === c && !m.deleted && m.status === 'ACTIVE') {
        m.status = 'COLLABORATION_DELETED';
        account(m.account).memberships--;
        remember(m, req);
      }
    }
    deletedCollabs.push(c);
    deletedCollabsAll.push(c);
    remember(c, req);
  };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

function buildCreateMembership() {
  const c = liveCollab();
  if (!c) return null;
  const invited = [...c.members].filter(([, r]) => r.status === 'INVITED').map(([a]) => a);
  if (!invited.length) return null;
  const who = pick(invited);
  const a = account(who);
  if (a.memberships + a.pendingMemberships >= MEMBERSHIPS_PER_ACCOUNT) return null;
  const l = lockKey(c, `m:${who}`);
  if (!l) return null;
  const s = seq + 1;
  const body = { collaborationIdentifier: c.id, queryLogStatus: chance(0.5) ? 'ENABLED' : 'DISABLED' };
  if (chance(0.5)) body.tags = someTags(s);
  const isPayer = c.payer === who;
  a.pendingMemberships++;
  const req = newReq('CreateMembership', who, 'POST', '/memberships', body,
    { c, cid: c.id, types: ['MembershipCreated', ...(isPayer ? ['PaymentAssigned'] : []), ...(body.tags ? ['TagsChanged'] : [])] });
  req.locks.push(l);
  req.release = () => { a.pendingMemberships--; };
  req.matchPayload = (g) => {
    const p = g.events[0].payload;
    if (p.accountId !== who || p.queryLogStatus !== body.queryLogStatus) return `membership ${JSON.stringify(p)}`;
    if (req.mid && p.membershipId !== req.mid) return `membershipId ${p.membershipId}, the answer said ${req.mid}`;
    const pay = g.events.find((e) => e.type === 'PaymentAssigned');
    if (pay && (pay.payload.accountId !== who || pay.payload.accepted !== true)) return `payment ${JSON.stringify(pay.payload)}`;
    const tc = g.events.find((e) => e.type === 'TagsChanged');
    if (tc && (!sameMap(tc.payload.set, body.tags) || tc.payload.resourceArn !== membershipArn(who, p.membershipId))) return `tags ${JSON.stringify(tc.payload)}`;
    return null;
  };
  req.onAck = (r) => {
    const id = r.json?.membership?.id;
    if (!id) return `CreateMembership answered ${r.status} without membership.id: ${r.text.slice(0, 200)}`;
    req.mid = id;
    addMembership(req, id);
    return null;
  };
  req.onApplied = (g) => { req.mid = g.events[0].payload.membershipId; addMembership(req, req.mid); };
  return req;
}

function membershipTarget(needActive) { // a membership and its lock
  const m = someMembership();
  if (!m || (needActive && m.status !== 'ACTIVE')) return null;
  const l = lockKey(m.c, `m:${m.account}`);
  return l ? { m, l } : null;
}

function buildUpdateMembership() {
  const t = membershipTarget(true);
  if (!t) return null;
  const { m, l } = t;
  const q = m.queryLog === 'ENABLED' ? 'DISABLED' : 'ENABLED';
  const req = newReq('UpdateMembership', m.account, 'PATCH', `/memberships/${m.id}`, { queryLogStatus: q },
    { c: m.c, cid: m.c.id, mid: m.id, types: ['MembershipUpdated'] });
  req.locks.push(l);
  req.matchPayload = (g) => {
    const p = g.events[0].payload;
    return p.membershipId === m.id && p.queryLogStatus === q ? null : `update ${JSON.stringify(p)}`;
  };
  req.onApplied = () => { m.queryLog = q; remember(m, req); };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

function buildDeleteMembership() {
  const t = membershipTarget(false);
  if (!t) return null;
  const { m, l } = t;
  const c = m.c;
  if (!c.deleted && m.account === c.creator) { unlock(l); return null; } // the creator cannot leave
  const rec = c.members.get(m.account);
  const left = !c.deleted && rec.status === 'ACTIVE';
  const req = newReq('DeleteMembership', m.account, 'DELETE', `/memberships/${m.id}`, undefined,
    { c, cid: c.id, mid: m.id, types: ['MembershipDeleted', ...(left ? ['MemberLeft'] : [])] });
  req.locks.push(l);
  req.matchPayload = (g) => {
    const p = g.events[0].payload;
    if (p.membershipId !== m.id || p.accountId !== m.account) return `deleted ${JSON.stringify(p)}`;
    if (left && g.events[1].payload.accountId !== m.account) return `left ${JSON.stringify(g.events[1].payload)}`;
    return null;
  };
  req.onApplied = () => {
    if (m.status !== 'COLLABORATION_DELETED') account(m.account).memberships--;
    m.deleted = true;
    memberships.delete(m.id);
    deletedMemberships.push(m);
    rec.mid = null;
    if (left) rec.status = 'LEFT';
    remember(m, req);
    remember(c, req);
  };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

function buildDeleteMember() {
  const c = liveCollab();
  if (!c) return null;
  const cands = [...c.members].filter(([a, r]) => a !== c.creator && (r.status === 'INVITED' || r.status === 'ACTIVE')).map(([a]) => a);
  if (!cands.length) return null;
  const who = pick(cands);
  const l = lockKey(c, `m:${who}`);
  if (!l) return null;
  const rec = c.members.get(who);
  const m = rec.mid ? memberships.get(rec.mid) : null;
  const cascade = m && m.status === 'ACTIVE';
  const req = newReq('DeleteMember', c.creator, 'DELETE', `/collaborations/${c.id}/member/${who}`, undefined,
    { c, cid: c.id, target: who, types: ['MemberRemoved', ...(cascade ? ['MembershipStatusChanged'] : [])] });
  req.locks.push(l);
  req.matchPayload = (g) => {
    if (g.events[0].payload.accountId !== who) return `removed ${JSON.stringify(g.events[0].payload)}`;
    if (cascade && (g.events[1].payload.membershipId !== m.id || g.events[1].payload.status !== 'REMOVED'))
      return `cascade ${JSON.stringify(g.events[1].payload)}`;
    return null;
  };
  req.onApplied = () => {
    rec.status = 'REMOVED';
    if (cascade) { m.status = 'REMOVED'; remember(m, req); }
    remember(c, req);
  };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

function tagTarget() { // { res (collaboration or membership), arn, owner, lock }
  if (chance(0.45)) {
    const c = liveCollab();
    if (!c) return null;
    const l = lockKey(c, 'ctags');
    return l ? { res: c, arn: c.arn, owner: c.creator, c, l } : null;
  }
  const t = membershipTarget(false);
  return t ? { res: t.m, arn: t.m.arn, owner: t.m.account, c: t.m.c, l: t.l } : null;
}

function buildTagResource() {
  const t = tagTarget();
  if (!t) return null;
  const s = seq + 1;
  const tags = someTags(s);
  const req = newReq('TagResource', t.owner, 'POST', `/tags/${encodeURIComponent(t.arn)}`, { tags },
    { c: t.c, cid: t.c.id, arn: t.arn, types: ['TagsChanged'] });
  req.locks.push(t.l);
  req.matchPayload = (g) => {
    const p = g.events[0].payload;
    return p.resourceArn === t.arn && sameMap(p.set, tags) && p.removed.length === 0 ? null : `tags ${JSON.stringify(p)}`;
  };
  req.onApplied = () => { for (const [k, v] of Object.entries(tags)) t.res.tags.set(k, v); remember(t.res, req); };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

function buildUntagResource() {
  const t = tagTarget();
  if (!t) return null;
  const have = [...t.res.tags.keys()];
  const keys = shuffle(have.slice()).slice(0, rint(1, 2));
  if (!keys.length || chance(0.2)) keys.push(pick(TAG_KEYS));
  const present = [...new Set(keys.filter((k) => t.res.tags.has(k)))];
  const qs = keys.map((k) => `tagKeys=${encodeURIComponent(k)}`).join('&');
  const req = newReq('UntagResource', t.owner, 'DELETE', `/tags/${encodeURIComponent(t.arn)}?${qs}`, undefined,
    { c: t.c, cid: t.c.id, arn: t.arn, types: present.length ? ['TagsChanged'] : [] });
  req.locks.push(t.l);
  req.matchPayload = (g) => {
    const p = g.events[0].payload;
    return p.resourceArn === t.arn && Object.keys(p.set).length === 0 && sameSet(p.removed, present) ? null : `untag ${JSON.stringify(p)}`;
  };
  req.onApplied = () => { for (const k of present) t.res.tags.delete(k); remember(t.res, req); };
  req.onAck = () => { req.onApplied(); return null; };
  return req;
}

// Writes the model says must be refused (and so must write nothing).
function buildRefused() {
  if (chance(0.5) && deletedCollabsAll.length) {
    const c = pick(deletedCollabsAll);
    if (c.excl) return null;
    const req = newReq('UpdateCollaboration(deleted)', c.creator, 'PATCH', `/collaborations/${c.id}`, { name: 'never' },
      { c, cid: c.id, types: [], refused: 403 });
    return req;
  }
  const c = liveCollab();
  if (!c) return null;
  const gone = [...c.members].filter(([, r]) => r.status === 'LEFT' || r.status === 'REMOVED').map(([a]) => a);
  if (!gone.length) return null;
  const who = pick(gone);
  const l = lockKey(c, `m:${who}`);
  if (!l) return null;
  const req = newReq('CreateMembership(rejoin)', who, 'POST', '/memberships',
    { collaborationIdentifier: c.id, queryLogStatus: 'DISABLED' }, { c, cid: c.id, types: [], refused: 403 });
  req.locks.push(l);
  return req;
}
const deletedCollabsAll = [];

const MIX = [
  ['CreateCollaboration', 10], ['UpdateCollaboration', 10], ['DeleteCollaboration', 4],
  ['CreateMembership', 22], ['UpdateMembership', 13], ['DeleteMembership', 6], ['DeleteMember', 5],
  ['TagResource', 14], ['UntagResource', 9], ['Refused', 2],
];
const MIX_TOTAL = MIX.reduce((s, [, w]) => s + w, 0);
function buildOne() {
  let r = rand() * MIX_TOTAL;
  let kind = MIX[0][0];
  for (const [k, w] of MIX) {
    if ((r -= w) < 0) { kind = k; break; }
  }
  switch (kind) {
    case 'CreateCollaboration': return buildCreateCollaboration(pick(pool));
    case 'UpdateCollaboration': return buildUpdateCollaboration();
    case 'DeleteCollaboration': return buildDeleteCollaboration();
    case 'CreateMembership': return buildCreateMembership();
    case 'UpdateMembership': return buildUpdateMembership();
    case 'DeleteMembership': return buildDeleteMembership();
    case 'DeleteMember': return buildDeleteMember();
    case 'TagResource': return buildTagResource();
    case 'UntagResource': return buildUntagResource();
    default: return buildRefused();
  }
}

// ---------------------------------------------------------------------------------------------
// Sending. Every request ends as 'acked' (2xx fully received), 'refused' (an error answer fully
// received, with its request id) or 'unknown' (no complete answer: the server died, or closed).
let pending = []; // requests since the last check of the log
let reqLog = null;
const live = { violations: [] }; // violations seen while sending (checked at the end of a cycle)

function releaseLocks(req) {
  for (const l of req.locks) unlock(l);
  req.locks = [];
  if (req.release) { req.release(); req.release = null; }
}

async function send(conn, req, timeoutMs) {
  req.t0 = now();
  pending.push(req);
  conn.stats.sent++;
  conn.inFlight++;
  conn.inFlightSet.add(req);
  const r = await httpCall(conn, req.method, req.path, req.account, req.body, timeoutMs);
  conn.inFlight--;
  conn.inFlightSet.delete(req);
  req.ms = now() - req.t0;
  if (r.status !== undefined) {
    req.status = r.status;
    req.requestId = r.requestId;
    if (!r.requestId) live.violations.push(`r${req.seq} ${req.kind}: answer ${r.status} without x-amzn-RequestId`);
    if (r.status >= 200 && r.status < 300) {
      req.outcome = 'acked';
      conn.stats.acked++;
      if (req.refused) live.violations.push(`r${req.seq} ${req.kind} by ${req.account} on ${req.cid} (req=${r.requestId}) was accepted (${r.status}); the model expected ${req.refused}`);
      else {
        const bad = req.onAck(r);
        if (bad) live.violations.push(`r${req.seq} ${req.kind} (req=${r.requestId}): ${bad}`);
      }
    } else {
      req.outcome = 'refused';
      req.errorType = r.errorType;
      req.message = r.json?.message ?? r.text.slice(0, 200);
      conn.stats.refused++;
      const shuttingDown = conn.signalledAt !== null && r.status === 503 && r.errorType === 'ServiceUnavailableException';
      if (shuttingDown) conn.stats.unavailable++;
      else if (!req.refused || r.status !== req.refused) {
        live.violations.push(`r${req.seq} ${req.kind} by ${req.account} ${req.method} ${req.path} (req=${r.requestId}) answered ` +
          `${r.status} ${r.errorType}: ${req.message}; the model expected ${req.refused ?? '2xx'}` +
          `${req.c ? `; recent writes of ${req.c.id}: ${req.c.hist.join('; ')}` : ''}`);
      }
    }
    releaseLocks(req);
  } else {
    req.outcome = 'unknown';
    req.error = r.error;
    conn.stats.unknown++;
    if (r.error === 'ECONNREFUSED') conn.stats.connRefused++;
    if (r.error === 'HARNESS_TIMEOUT') {
      live.violations.push(`r${req.seq} ${req.kind} ${req.method} ${req.path}: no answer within ${timeoutMs} ms while the server was ${conn.deadAt === null ? 'running' : 'stopping'}`);
    }
    // locks stay held until the log tells whether it was applied
  }
  reqLog?.write(JSON.stringify({
    seq: req.seq, cycle: req.cycle, kind: req.kind, account: req.account, method: req.method, path: req.path,
    body: req.body, collaboration: req.cid, membership: req.mid, member: req.target, arn: req.arn, outcome: req.outcome, status: req.status, requestId: req.requestId, errorType: req.errorType,
    error: req.error, ms: Math.round(req.ms), types: req.types,
  }) + '\n');
  return req;
}

// ---------------------------------------------------------------------------------------------
// Checks after a restart.
async function readEvents(fromPos) {
  const r = await runTool(['events', '--data-dir', dataDir, '--json', '--from', String(fromPos)], 300000);
  if (r.code !== 0) throw new Violation(`cleanroomsd events --from ${fromPos} exited ${r.code}: ${r.stderr.trim()}`);
  const out = [];
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    try { out.push(JSON.parse(line)); } catch { throw new Violation(`cleanroomsd events printed a line that is not JSON: ${line.slice(0, 200)}`); }
  }
  return out;
}

let nextPos = 1; // first log position not yet checked
const seenRequestIds = new Set();
const describe = (req) => `r${req.seq} ${req.kind} by ${req.account}${req.cid ? ` on collaboration ${req.cid}` : ''}${req.mid ? ` membership ${req.mid}` : ''}` +
  `${req.target ? ` member ${req.target}` : ''}${req.requestId ? ` (req=${req.requestId})` : ''} sent in cycle ${req.cycle}`;
const groupText = (g) => `${g.events.length} events in ${g.stream} v${g.events[0].version}..v${g.events.at(-1).version}: ${g.events.map((e) => e.type).join(',')}`;

// The log since the last check against the requests since the last check. Resolves the
// unanswered ones (applies those the log shows applied) and releases their locks.
async function checkLog() {
  const v = [];
  const events = await readEvents(nextPos);
  const groups = new Map();
  const order = [];
  let expectPos = nextPos;
  for (const e of events) {
    if (e.position !== expectPos) v.push(`log position ${e.position} follows ${expectPos - 1} (gap or disorder)`);
    expectPos = e.position + 1;
    const id = e.requestId ?? '';
    let g = groups.get(id);
    if (!g) {
      if (seenRequestIds.has(id)) v.push(`request id ${id} has events at position ${e.position}, but it already had events before the previous check (re-applied?)`);
      g = { id, stream: e.stream, events: [] };
      groups.set(id, g);
      order.push(g);
    }
    const last = g.events.at(-1);
    if (last && (e.stream !== g.stream || e.version !== last.version + 1)) {
      v.push(`request id ${id}: event ${e.type} at position ${e.position} (${e.stream} v${e.version}) does not directly follow its ` +
        `previous event ${last.type} (${last.position}, ${g.stream} v${last.version}): the request's events are split`);
    }
    g.events.push(e);
  }
  for (const g of order) seenRequestIds.add(g.id);
  const lastPos = expectPos - 1;

  const known = new Map();
  const unknown = [];
  for (const req of pending) {
    if (req.outcome === 'unknown') unknown.push(req);
    else if (req.requestId) known.set(req.requestId, req);
  }
  const groupsById = groups;
  // Answered requests: acknowledged ones wrote exactly their events, refused ones nothing.
  for (const req of known.values()) {
    const g = groupsById.get(req.requestId);
    if (req.outcome === 'refused') {
      if (g) v.push(`${describe(req)} was answered ${req.status} ${req.errorType} but the log has ${groupText(g)}`);
      continue;
    }
    if (!req.types.length) {
      if (g) v.push(`${describe(req)} was acknowledged as a no-op (model: no event) but the log has ${groupText(g)}`);
      continue;
    }
    if (!g) {
      v.push(`${describe(req)} was ACKNOWLEDGED (${req.status}) but the log has no event with its request id; expected ${req.types.join(',')}`);
      continue;
    }
    const types = g.events.map((e) => e.type);
    if (types.join() !== req.types.join()) {
      v.push(`${describe(req)} (acknowledged): the log has ${groupText(g)}; expected ${req.types.join(',')}`);
      continue;
    }
    if (g.events.some((e) => e.account !== req.account)) v.push(`${describe(req)}: events carry another acting account`);
    if (req.cid && g.stream !== `collaboration-${req.cid}`) v.push(`${describe(req)}: events in ${g.stream}`);
    const bad = req.matchPayload(g);
    if (bad) v.push(`${describe(req)} (acknowledged): payload differs: ${bad}`);
  }
  // Every other request id: one unanswered request, whole.
  let applied = 0;
  const appliedReqs = [];
  for (const g of order) {
    if (known.has(g.id)) continue;
    const reasons = [];
    let found = -1;
    for (let i = 0; i < unknown.length && found < 0; i++) {
      const req = unknown[i];
      if (req.account !== g.events[0].account) continue;
      if (req.cid && g.stream !== `collaboration-${req.cid}`) continue;
      const types = g.events.map((e) => e.type);
      if (types.join() !== req.types.join()) {
        if (types[0] === req.types[0]) reasons.push(`${describe(req)} writes ${req.types.join(',')}`);
        continue;
      }
      const bad = req.matchPayload(g);
      if (bad) { reasons.push(`${describe(req)}: ${bad}`); continue; }
      found = i;
    }
    if (found < 0) {
      v.push(`request id ${g.id || '(none)'} by ${g.events[0].account}: the log has ${groupText(g)}, which is no request left ` +
        `without an answer (half-applied, or applied twice?)${reasons.length ? `; nearest: ${reasons.slice(0, 3).join(' | ')}` : ''}`);
      continue;
    }
    const req = unknown.splice(found, 1)[0];
    req.requestId = g.id;
    req.outcome = 'applied';
    appliedReqs.push({ req, g });
    applied++;
  }
  if (v.length) throw new Violation(v);
  // Apply what the log shows applied, in log order (unanswered writes hold disjoint keys, and none
  // depends on another: a write is only built on state that was acknowledged or resolved).
  for (const { req, g } of appliedReqs) req.onApplied(g);
  const unresolved = pending.filter((r) => r.outcome === 'unknown').length;
  for (const req of pending) {
    if (req.outcome !== 'unknown') continue;
    req.outcome = 'unanswered, not in the log';
    const m = req.mid ? memberships.get(req.mid) : null;
    if (m) remember(m, req);
    if (req.c) remember(req.c, req);
  }
  for (const req of pending) releaseLocks(req);
  nextPos = lastPos + 1;
  const result = { events: events.length, applied, notApplied: unresolved, lastPos };
  pending = [];
  return result;
}

// Bounded-parallel runner for read checks.
async function parallel(tasks, n) {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (i < tasks.length) await tasks[i++]();
  }));
}

async function checkApi(conn) {
  const v = [];
  const get = async (acct, p) => {
    for (let attempt = 0; ; attempt++) {
      const r = await httpCall(conn, 'GET', p, acct, undefined, 30000);
      if (r.status !== undefined) return r;
      if (attempt >= 2) throw new Violation(`GET ${p} as ${acct}: no answer (${r.error})`);
    }
  };
  const list = async (acct, p, key) => {
    const items = [];
    let token;
    for (let pages = 0; pages < 1000; pages++) {
      const sep = p.includes('?') ? '&' : '?';
      const r = await get(acct, `${p}${sep}maxResults=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      if (r.status !== 200) return { error: `${r.status} ${r.errorType} ${r.text.slice(0, 200)}` };
      items.push(...r.json[key]);
      token = r.json.nextToken;
      if (!token) return { items };
    }
    return { error: 'more than 1000 pages' };
  };
  const hist = (x) => `recent writes: ${x.hist.join('; ') || '-'}`;
  const tagsText = (m) => JSON.stringify(Object.fromEntries([...m].sort()));
  const tasks = [];
  for (const c of collabs.values()) {
    if (c.deleted) continue;
    tasks.push(async () => {
      const r = await get(c.creator, `/collaborations/${c.id}`);
      if (r.status !== 200) { v.push(`GetCollaboration ${c.id} as its creator ${c.creator}: ${r.status} ${r.errorType}, expected 200 (${hist(c)})`); return; }
      const got = r.json.collaboration;
      const me = c.members.get(c.creator).status;
      if (got.name !== c.name) v.push(`collaboration ${c.id}: name "${got.name}", expected "${c.name}" (${hist(c)})`);
      if (got.memberStatus !== me) v.push(`collaboration ${c.id}: creator's memberStatus ${got.memberStatus}, expected ${me} (${hist(c)})`);
    });
    tasks.push(async () => {
      const r = await list(c.creator, `/collaborations/${c.id}/members`, 'memberSummaries');
      if (r.error) { v.push(`ListMembers ${c.id}: ${r.error} (${hist(c)})`); return; }
      const got = new Map(r.items.map((m) => [m.accountId, m]));
      if (got.size !== c.members.size) v.push(`ListMembers ${c.id}: ${got.size} members, expected ${c.members.size} (${hist(c)})`);
      for (const [a, rec] of c.members) {
        const m = got.get(a);
        if (!m) { v.push(`ListMembers ${c.id}: member ${a} missing (${hist(c)})`); continue; }
        if (m.status !== rec.status) v.push(`ListMembers ${c.id}: member ${a} is ${m.status}, expected ${rec.status} (${hist(c)})`);
        if ((m.membershipId ?? null) !== rec.mid) v.push(`ListMembers ${c.id}: member ${a} membershipId ${m.membershipId}, expected ${rec.mid} (${hist(c)})`);
      }
    });
    tasks.push(async () => {
      const r = await get(c.creator, `/tags/${encodeURIComponent(c.arn)}`);
      if (r.status !== 200) { v.push(`ListTagsForResource ${c.arn}: ${r.status} ${r.errorType}, expected 200 (${hist(c)})`); return; }
      const got = new Map(Object.entries(r.json.tags));
      if (tagsText(got) !== tagsText(c.tags)) v.push(`tags of ${c.arn}: ${tagsText(got)}, expected ${tagsText(c.tags)} (${hist(c)})`);
    });
  }
  for (const c of deletedCollabs) {
    tasks.push(async () => {
      const r = await get(c.creator, `/collaborations/${c.id}`);
      if (r.status !== 403) v.push(`GetCollaboration ${c.id} (deleted) as its creator: ${r.status}, expected 403 (${hist(c)})`);
      const t = await get(c.creator, `/tags/${encodeURIComponent(c.arn)}`);
      if (t.status !== 404) v.push(`ListTagsForResource ${c.arn} (collaboration deleted): ${t.status}, expected 404 (${hist(c)})`);
    });
  }
  for (const m of memberships.values()) {
    tasks.push(async () => {
      const r = await get(m.account, `/memberships/${m.id}`);
      if (r.status !== 200) { v.push(`GetMembership ${m.id} as its owner ${m.account}: ${r.status} ${r.errorType}, expected 200 (${hist(m)})`); return; }
      const got = r.json.membership;
      if (got.status !== m.status) v.push(`membership ${m.id}: status ${got.status}, expected ${m.status} (${hist(m)})`);
      if (got.queryLogStatus !== m.queryLog) v.push(`membership ${m.id}: queryLogStatus ${got.queryLogStatus}, expected ${m.queryLog} (${hist(m)})`);
      if (got.collaborationId !== m.c.id) v.push(`membership ${m.id}: collaborationId ${got.collaborationId}, expected ${m.c.id}`);
      if (got.collaborationName !== m.c.name) v.push(`membership ${m.id}: collaborationName "${got.collaborationName}", expected "${m.c.name}" (${hist(m.c)})`);
    });
    tasks.push(async () => {
      const r = await get(m.account, `/tags/${encodeURIComponent(m.arn)}`);
      if (r.status !== 200) { v.push(`ListTagsForResource ${m.arn}: ${r.status} ${r.errorType}, expected 200 (${hist(m)})`); return; }
      const got = new Map(Object.entries(r.json.tags));
      if (tagsText(got) !== tagsText(m.tags)) v.push(`tags of ${m.arn}: ${tagsText(got)}, expected ${tagsText(m.tags)} (${hist(m)})`);
    });
  }
  for (const m of deletedMemberships) {
    tasks.push(async () => {
      const r = await get(m.account, `/memberships/${m.id}`);
      if (r.status !== 404) v.push(`GetMembership ${m.id} (deleted) as its owner: ${r.status}, expected 404 (${hist(m)})`);
    });
  }
  // Per account: the lists must hold exactly what the model holds (deleted things stay deleted).
  const visible = new Map();
  const owned = new Map();
  for (const a of accounts.keys()) { visible.set(a, new Map()); owned.set(a, new Map()); }
  for (const c of collabs.values()) {
    if (c.deleted) continue;
    for (const [a, rec] of c.members) if (rec.status === 'INVITED' || rec.status === 'ACTIVE') visible.get(a)?.set(c.id, rec.status);
  }
  for (const m of memberships.values()) owned.get(m.account)?.set(m.id, m.status);
  for (const a of accounts.keys()) {
    tasks.push(async () => {
      const r = await list(a, '/collaborations', 'collaborationList');
      if (r.error) { v.push(`ListCollaborations as ${a}: ${r.error}`); return; }
      const want = visible.get(a);
      const got = new Map(r.items.map((x) => [x.id, x.memberStatus]));
      for (const [id, st] of want) {
        if (!got.has(id)) v.push(`ListCollaborations as ${a}: ${id} missing (expected memberStatus ${st}; ${hist(collabs.get(id))})`);
        else if (got.get(id) !== st) v.push(`ListCollaborations as ${a}: ${id} memberStatus ${got.get(id)}, expected ${st} (${hist(collabs.get(id))})`);
      }
      for (const id of got.keys()) {
        if (!want.has(id)) v.push(`ListCollaborations as ${a}: lists ${id}, which the model says it must not (${collabs.get(id) ? hist(collabs.get(id)) : 'never created by an acknowledged or applied request'})`);
      }
    });
    tasks.push(async () => {
      const r = await list(a, '/memberships', 'membershipSummaries');
      if (r.error) { v.push(`ListMemberships as ${a}: ${r.error}`); return; }
      const want = owned.get(a);
      const got = new Map(r.items.map((x) => [x.id, x.status]));
      for (const [id, st] of want) {
        if (!got.has(id)) v.push(`ListMemberships as ${a}: ${id} missing (expected ${st}; ${hist(memberships.get(id))})`);
        else if (got.get(id) !== st) v.push(`ListMemberships as ${a}: ${id} is ${got.get(id)}, expected ${st} (${hist(memberships.get(id))})`);
      }
      for (const id of got.keys()) if (!want.has(id)) v.push(`ListMemberships as ${a}: lists ${id}, which the model says is deleted or never existed`);
    });
  }
  await parallel(tasks, 32);
  if (v.length) throw new Violation(v);
  deletedCollabs.length = 0;
  deletedMemberships.length = 0;
  return tasks.length;
}

async function runVerify() {
  const t = now();
  const r = await runTool(['verify', '--data-dir', dataDir], 600000);
  if (r.code !== 0) {
    throw new Violation(`cleanroomsd verify --data-dir ${dataDir} exited ${r.code}${r.signal ? ` (${r.signal})` : ''}:\n${(r.stdout + r.stderr).trim().split('\n').slice(0, 40).join('\n')}`);
  }
  return now() - t;
}

// ---------------------------------------------------------------------------------------------
// One cycle: load, then SIGKILL/SIGTERM at a random moment.
function newConn(port) {
  return {
    port,
    agent: new http.Agent({ keepAlive: true, maxSockets: opt.concurrency }),
    stats: { sent: 0, acked: 0, refused: 0, unknown: 0, unavailable: 0, connRefused: 0 },
    inFlight: 0,
    inFlightSet: new Set(),
    signalledAt: null,
    deadAt: null,
  };
}

async function loadAndCrash(srv, conn, loadMs) {
  let stopping = false;
  const loadStart = now();
  const worker = async () => {
    while (!stopping) {
      let req = null;
      for (let i = 0; i < 8 && !req; i++) req = buildOne();
      if (!req) { await sleep(2); continue; }
      await send(conn, req, conn.signalledAt === null ? 30000 : 25000);
      if (req.error === 'ECONNREFUSED') await sleep(5); // the server is stopping: do not spin
    }
  };
  const workers = Array.from({ length: opt.concurrency }, worker);
  await sleep(loadMs);
  for (let i = 0; i < 100 && conn.inFlight === 0; i++) await sleep(2); // crash with requests in flight
  const atSignal = { sent: conn.stats.sent, acked: conn.stats.acked, inFlight: conn.inFlight, reqs: [...conn.inFlightSet] };
  conn.signalledAt = now();
  const out = { loadMs: Math.round(now() - loadStart), atSignal };
  if (opt.mode === 'kill') {
    stopping = true; // nothing new after the kill: what is in flight now is what the check resolves
    srv.proc.kill('SIGKILL');
    const e = await srv.exited;
    conn.deadAt = e.at;
    stopping = true;
  } else {
    srv.proc.kill('SIGTERM');
    const bound = 20000;
    const e = await Promise.race([srv.exited, sleep(bound).then(() => null)]);
    stopping = true;
    if (!e) {
      srv.proc.kill('SIGKILL');
      await srv.exited;
      throw new Violation(`the server did not exit within ${bound} ms of SIGTERM (${conn.inFlight} requests in flight)`);
    }
    conn.deadAt = e.at;
    out.exitMs = Math.round(e.at - conn.signalledAt);
    if (e.code !== 0) throw new Violation(`the server exited with ${e.signal ? `signal ${e.signal}` : `status ${e.code}`} after SIGTERM; log:\n${tailOf(serverLog)}`);
  }
  // Every request ends, one way or the other, soon after the server is gone.
  const settled = await Promise.race([Promise.all(workers).then(() => true), sleep(30000).then(() => false)]);
  if (!settled) throw new Violation(`${conn.inFlight} requests still without an outcome 30 s after the server ${opt.mode === 'kill' ? 'was killed' : 'exited'}`);
  conn.agent.destroy();
  if (live.violations.length) throw new Violation(live.violations.splice(0));
  const fate = { acked: 0, errorAnswer: 0, closed: 0 };
  for (const r of atSignal.reqs) {
    if (r.outcome === 'acked') fate.acked++;
    else if (r.outcome === 'refused') fate.errorAnswer++;
    else fate.closed++;
  }
  out.fate = fate;
  return out;
}

// Restart on the same data directory: time to /health and to the first acknowledged write.
async function restart() {
  const srv = await startServer(opt.recoveryBoundMs);
  const conn = newConn(srv.port);
  const probeAccount = newAccountId(new Set(accounts.keys()));
  account(probeAccount);
  const req = buildCreateCollaboration(probeAccount, true);
  const left = opt.recoveryBoundMs - (now() - srv.spawnedAt);
  await send(conn, req, Math.max(100, left));
  if (req.outcome !== 'acked') {
    throw new Violation(`the first write after the restart (${describe(req)}) was not acknowledged within ${opt.recoveryBoundMs} ms of the start: ` +
      `${req.status ? `${req.status} ${req.errorType} ${req.message}` : req.error}`);
  }
  const firstWriteMs = req.t0 + req.ms - srv.spawnedAt;
  if (live.violations.length) throw new Violation(live.violations.splice(0));
  return { srv, conn, healthMs: srv.healthMs, firstWriteMs };
}

async function stopServerClean(srv) {
  srv.proc.kill('SIGTERM');
  const t = now();
  const e = await Promise.race([srv.exited, sleep(20000).then(() => null)]);
  if (!e) {
    srv.proc.kill('SIGKILL');
    throw new Violation('the server did not exit within 20 s of SIGTERM at the end of the run');
  }
  if (e.code !== 0) throw new Violation(`the server exited with ${e.signal ?? e.code} after SIGTERM at the end of the run`);
  child = null;
  return now() - t;
}

// ---------------------------------------------------------------------------------------------
let currentCycle = 0;
const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const ms = (x) => `${Math.round(x)} ms`;

function openRequestLog(cycle) {
  reqLog?.end();
  reqLog = fs.createWriteStream(path.join(opt.workDir, `requests-${cycle}.jsonl`));
  const old = path.join(opt.workDir, `requests-${cycle - 3}.jsonl`);
  if (cycle > 3) fs.rmSync(old, { force: true });
}

async function main() {
  if (!fs.existsSync(opt.binary)) {
    console.error(`crash_test: ${opt.binary} does not exist (build it first)`);
    process.exit(1);
  }
  const taken = new Set();
  for (let i = 0; i < opt.accounts; i++) {
    const a = newAccountId(taken);
    taken.add(a);
    pool.push(a);
    account(a);
  }
  console.log(`crash test: mode ${opt.mode}, ${opt.cycles} cycles, seed ${opt.seed}, concurrency ${opt.concurrency}, ` +
    `${opt.accounts} accounts, load ${opt.minLoadMs}..${opt.maxLoadMs} ms per cycle, data ${dataDir}`);

  openRequestLog(0);
  let { srv, conn } = await restart(); // first start (empty directory); not counted as a recovery
  await checkLog();
  const recoveries = [];
  const firstWrites = [];
  const exits = [];
  let totalAcked = 1;
  let totalSent = 1;
  let totalApplied = 0;
  let totalRefusedConn = 0;
  let totalUnresolved = 0;
  let verifyMsLast = 0;

  for (let cycle = 1; cycle <= opt.cycles; cycle++) {
    currentCycle = cycle;
    openRequestLog(cycle);
    const loadMs = rint(opt.minLoadMs, opt.maxLoadMs);
    const crash = await loadAndCrash(srv, conn, loadMs);
    child = null;
    totalSent += conn.stats.sent - conn.stats.connRefused;
    totalRefusedConn += conn.stats.connRefused;
    totalAcked += conn.stats.acked;
    const st = conn.stats;

    ({ srv, conn } = await restart().then((r) => {
      recoveries.push(r.healthMs);
      firstWrites.push(r.firstWriteMs);
      crash.healthMs = r.healthMs;
      crash.firstWriteMs = r.firstWriteMs;
      return r;
    }));
    totalSent += 1;
    totalAcked += 1;
    const log = await checkLog();
    totalApplied += log.applied;
    totalUnresolved += log.notApplied;
    const reads = await checkApi(conn);
    verifyMsLast = await runVerify();
    if (opt.mode === 'term') exits.push(crash.exitMs);

    console.log(`cycle ${String(cycle).padStart(3)}: ${opt.mode === 'kill' ? 'SIGKILL' : 'SIGTERM'} after ${crash.loadMs} ms; ` +
      `sent ${crash.atSignal.sent}, acked ${crash.atSignal.acked}, in flight ${crash.atSignal.inFlight} at the signal; ` +
      `of those: ${crash.fate.acked} answered 2xx, ${crash.fate.errorAnswer} an error, ${crash.fate.closed} closed without answer; ` +
      `all: acked ${st.acked}, refused as the model expects ${st.refused - st.unavailable}` +
      `${st.unavailable ? `, 503 shutting down ${st.unavailable}` : ''}, no answer ${st.unknown}` +
      `${st.connRefused ? ` (${st.connRefused} connection refused)` : ''} ` +
      `(log: ${log.applied} applied, ${log.notApplied} not)` +
      `${opt.mode === 'term' ? `; exit 0 after ${crash.exitMs} ms` : ''}; ` +
      `restart: /health ${ms(crash.healthMs)}, first write ${ms(crash.firstWriteMs)}; ` +
      `checked ${log.events} events, ${reads} reads, verify ${ms(verifyMsLast)}; t=${elapsed()} s`);
  }
  currentCycle = 'final';
  const stopMs = await stopServerClean(srv);
  const vs = await runVerify();
  reqLog?.end();

  console.log('');
  console.log(`summary: mode ${opt.mode}, seed ${opt.seed}: ${opt.cycles} cycles, ${totalSent} writes sent, ${totalAcked} acknowledged, ` +
    `${totalApplied} unanswered writes found applied and ${totalUnresolved - totalRefusedConn} not applied` +
    `${totalRefusedConn ? ` (+${totalRefusedConn} connections refused while stopping)` : ''}, log ${nextPos - 1} events`);
  console.log(`  recovery (spawn -> /health): median ${ms(median(recoveries))}, worst ${ms(Math.max(...recoveries))}; ` +
    `spawn -> first acknowledged write: median ${ms(median(firstWrites))}, worst ${ms(Math.max(...firstWrites))}`);
  if (opt.mode === 'term') console.log(`  SIGTERM under load -> exit 0: median ${ms(median(exits))}, worst ${ms(Math.max(...exits))}`);
  console.log(`  final clean stop ${ms(stopMs)}; verify of the stopped directory ${ms(vs)}, last live verify ${ms(verifyMsLast)}`);
  if (toolRaces.length) {
    console.log(`  WARNING: the read-only tools failed ${toolRaces.length} times to open the live store (retried): ` +
      'RocksDB OpenForReadOnly next to a running server races with its table-file deletions');
    for (const l of toolRaces.slice(0, 10)) console.log(`    ${l}`);
  }
  console.log(`  failures: 0; total ${elapsed()} s`);
  process.exit(0);
}

main().catch((e) => {
  if (e instanceof Violation) fail(e.lines);
  console.error(`crash_test: harness error: ${e?.stack ?? e}`);
  killServerNow();
  process.exit(1);
});
