// Protected-query throughput through the server: a provider's 100k-row purchases table joined
// with the querier's customers table, the same query as bench/query_engine_bench (its ceiling),
// kept at the per-membership limit of 5 queries in flight for --seconds. Each query is counted
// from StartProtectedQuery to the GetProtectedQuery that shows SUCCESS.
//   node bench/query_throughput.mjs --endpoint http://127.0.0.1:8080 --data-dir ./data \
//        [--rows 100000] [--seconds 30]
// The server must run with that --data-dir (its catalog is <data-dir>/catalog) and without
// --auth sigv4 (the requests carry an unsigned Authorization header naming the account).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const endpoint = arg('endpoint', 'http://127.0.0.1:8080');
const dataDir = arg('data-dir', './data');
const rows = Number(arg('rows', 100000));
const seconds = Number(arg('seconds', 30));
const P = '111111111111';
const Q = '222222222222';

async function call(account, method, path, body) {
  const res = await fetch(endpoint + path, {
    method,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${account}/20240101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

// The tables of bench/query_data.hpp, generated the same way.
function writeTables(db) {
  const dir = join(dataDir, 'catalog', db);
  mkdirSync(dir, { recursive: true });
  const out = ['user_id,segment,amount,email'];
  let x = 12345n;
  const users = BigInt(Math.floor(rows / 4) + 1);
  for (let i = 0; i < rows; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    const user = (x >> 33n) % users;
    out.push(`${user},s${user % 20n},${Number((x >> 20n) % 10000n) / 100},u${user}@example.com`);
  }
  writeFileSync(join(dir, 'purchases.csv'), out.join('\n') + '\n');
  const cust = ['user_id,region'];
  for (let u = 0; u <= rows / 4; u++) cust.push(`${u},${u % 3 === 0 ? 'eu' : 'us'}`);
  writeFileSync(join(dir, 'customers.csv'), cust.join('\n') + '\n');
}

async function setup() {
  const db = `bench${Date.now()}`;
  writeTables(db);
  const { collaboration } = await call(P, 'POST', '/collaborations', {
    name: 'query bench', description: 'throughput', creatorDisplayName: 'provider', creatorMemberAbilities: [],
    members: [{ accountId: Q, displayName: 'querier', memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] }],
    queryLogStatus: 'DISABLED',
  });
  const join_ = (a) => call(a, 'POST', '/memberships', { collaborationIdentifier: collaboration.id, queryLogStatus: 'DISABLED' });
  const pm = (await join_(P)).membership.id;
  const qm = (await join_(Q)).membership.id;
  const table = async (account, mid, name, columns, policy) => {
    const { configuredTable } = await call(account, 'POST', '/configuredTables', {
      name, analysisMethod: 'DIRECT_QUERY', allowedColumns: columns,
      tableReference: { glue: { databaseName: db, tableName: name } },
    });
    await call(account, 'POST', `/configuredTables/${configuredTable.id}/analysisRule`, {
      analysisRuleType: 'AGGREGATION', analysisRulePolicy: { v1: { aggregation: policy } },
    });
    await call(account, 'POST', `/memberships/${mid}/configuredTableAssociations`, {
      name, configuredTableIdentifier: configuredTable.id, roleArn: `arn:aws:iam::${account}:role/bench`,
    });
  };
  await table(P, pm, 'purchases', ['user_id', 'segment', 'amount', 'email'], {
    aggregateColumns: [{ columnNames: ['amount'], function: 'SUM' }, { columnNames: ['user_id'], function: 'COUNT_DISTINCT' }],
    joinColumns: ['user_id'], dimensionColumns: ['segment'], scalarFunctions: [],
    outputConstraints: [{ columnName: 'user_id', minimum: 100, type: 'COUNT_DISTINCT' }],
  });
  await table(Q, qm, 'customers', ['user_id', 'region'], {
    aggregateColumns: [{ columnNames: ['user_id'], function: 'COUNT_DISTINCT' }],
    joinColumns: ['user_id'], dimensionColumns: ['region'], scalarFunctions: [],
    outputConstraints: [{ columnName: 'user_id', minimum: 2, type: 'COUNT_DISTINCT' }],
  });
  return qm;
}

const SQL = "SELECT p.segment, SUM(p.amount) AS total, COUNT(DISTINCT p.user_id) AS users " +
  "FROM purchases p JOIN customers c ON p.user_id = c.user_id " +
  "WHERE c.region = 'eu' GROUP BY p.segment ORDER BY p.segment";

async function one(qm) {
  const t0 = performance.now();
  const { protectedQuery } = await call(Q, 'POST', `/memberships/${qm}/protectedQueries`, {
    type: 'SQL', sqlParameters: { queryString: SQL },
    resultConfiguration: { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'bench', keyPrefix: 'q/' } } },
  });
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const { protectedQuery: q } = await call(Q, 'GET', `/memberships/${qm}/protectedQueries/${protectedQuery.id}`);
    if (q.status === 'SUCCESS') return { ms: performance.now() - t0, engineMs: q.statistics.totalDurationInMillis };
    if (['FAILED', 'TIMED_OUT', 'CANCELLED'].includes(q.status)) throw new Error(JSON.stringify(q));
  }
}

const qm = await setup();
const until = performance.now() + seconds * 1000;
const lat = [];
const engine = [];
await Promise.all(Array.from({ length: 5 }, async () => {
  while (performance.now() < until) {
    const r = await one(qm);
    lat.push(r.ms);
    engine.push(r.engineMs);
  }
}));
lat.sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))].toFixed(0);
console.log(`rows=${rows} queries=${lat.length} in ${seconds}s: ${(lat.length / seconds).toFixed(2)} queries/s`);
console.log(`latency start->SUCCESS ms: p50 ${pct(50)} p90 ${pct(90)} max ${lat[lat.length - 1].toFixed(0)}; ` +
  `engine time (totalDurationInMillis) mean ${(engine.reduce((a, b) => a + b, 0) / engine.length).toFixed(0)} ms`);
