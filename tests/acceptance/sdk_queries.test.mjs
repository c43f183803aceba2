// Protected queries through the official JS SDK: StartProtectedQuery, GetProtectedQuery,
// ListProtectedQueries and UpdateProtectedQuery, with the querier's SQL checked against the
// AGGREGATION, LIST and CUSTOM rules and really run on CSV tables of the local catalog. The
// result files are read back from the server's results directory and compared row by row with
// rows worked out by hand from the fixtures below.
// Reference: shared/spec/SPEC.md sections 12, 13, 16.3, 17; catalog/README.md.
// Needs CLEANROOMSD_DATA_DIR (catalog: $CLEANROOMSD_DATA_DIR/catalog, results:
// $CLEANROOMSD_DATA_DIR/results, or $CLEANROOMSD_CATALOG_DIR / $CLEANROOMSD_RESULTS_DIR).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import {
  REGION, UUID_RE, assertOk, assertTimestamp, clientFor, collaborationInput, expectError, expectValidation, member,
  membershipArn, newAccount, uniqueDatabase, writeCatalogCsv,
} from './helpers.mjs';
import { scenario } from './steps.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/cleanrooms-queries';
const BUCKET = 'acceptance-results';
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000abcd';

function resultsDir() {
  const dir = process.env.CLEANROOMSD_RESULTS_DIR
    ?? (process.env.CLEANROOMSD_DATA_DIR && path.join(process.env.CLEANROOMSD_DATA_DIR, 'results'));
  assert.ok(dir, 'set CLEANROOMSD_DATA_DIR (or CLEANROOMSD_RESULTS_DIR) to the server\'s data directory');
  return dir;
}

// s3://bucket/key → the file the server wrote for it.
function resultFile(location) {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  assert.ok(m, `an s3 location: ${location}`);
  return path.join(resultsDir(), m[1], ...m[2].split('/'));
}
const memberResultFile = (qid) => path.join(resultsDir(), '_members', qid, 'result.csv');

// RFC 4180 as the server writes it: LF line ends, quoted fields where needed.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += ch;
  }
  assert.equal(field + row.join(''), '', 'the result file ends with a line break');
  return rows;
}
const readResult = (file) => parseCsv(fs.readFileSync(file, 'utf8'));

// keyPrefix null: none sent.
const s3Output = (keyPrefix, resultFormat = 'CSV') =>
  ({ outputConfiguration: { s3: { resultFormat, bucket: BUCKET, ...(keyPrefix === null ? {} : { keyPrefix }) } } });

const TERMINAL = ['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls GetProtectedQuery (at most `ms`) until `done(query)`; returns the last answer.
async function waitFor(client, mid, qid, done = (q) => TERMINAL.includes(q.status), ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const q = assertOk(await client.getProtectedQuery({ membershipIdentifier: mid, protectedQueryIdentifier: qid }))
      .protectedQuery;
    if (done(q)) return q;
    assert.ok(Date.now() < deadline, `query ${qid} still ${q.status} after ${ms} ms`);
    await sleep(25);
  }
}

// The answer of StartProtectedQuery: exactly the request echoed, SUBMITTED, nothing else.
function assertSubmitted(pq, ms, sqlParameters, resultConfiguration) {
  assert.match(pq.id, UUID_RE);
  assertTimestamp(pq.createTime, 'createTime');
  const want = {
    id: pq.id, membershipId: ms.id, membershipArn: ms.arn, createTime: pq.createTime, status: 'SUBMITTED', sqlParameters,
  };
  if (resultConfiguration) want.resultConfiguration = resultConfiguration;
  assert.deepEqual(pq, want);
}

// A finished query: `submitted` plus statistics and exactly `extra` (result or error).
function assertFinished(q, submitted, status, extra) {
  assert.equal(typeof q.statistics?.totalDurationInMillis, 'number', `statistics in ${JSON.stringify(q)}`);
  assert.ok(Number.isInteger(q.statistics.totalDurationInMillis) && q.statistics.totalDurationInMillis >= 0);
  assert.deepEqual(q, { ...submitted, status, statistics: { totalDurationInMillis: q.statistics.totalDurationInMillis }, ...extra });
}

// Starts `sql` as `client` in membership `ms` with an S3 output under `keyPrefix` (null: none),
// checks the SUBMITTED answer, waits for SUCCESS, checks the location (the key prefix reads
// `normalized` there) and returns {query, rows} with the result file's rows.
async function runToSuccess(client, ms, sql, keyPrefix = 'runs', normalized = 'runs/') {
  const sqlParameters = typeof sql === 'string' ? { queryString: sql } : sql;
  const pq = assertOk(await client.startProtectedQuery({
    membershipIdentifier: ms.id, type: 'SQL', sqlParameters, resultConfiguration: s3Output(keyPrefix),
  })).protectedQuery;
  assertSubmitted(pq, ms, sqlParameters, s3Output(keyPrefix));
  const q = await waitFor(client, ms.id, pq.id);
  const location = `s3://${BUCKET}/${normalized}${pq.id}/result.csv`;
  assertFinished(q, pq, 'SUCCESS', { result: { output: { s3: { location } } } });
  return { query: q, rows: readResult(resultFile(location)) };
}

// One member's configured table over catalog table db.name, with a rule, associated as `name`.
async function contribute(client, ms, db, name, allowedColumns, type, policy, catalogTable = name) {
  const table = assertOk(await client.createConfiguredTable({
    name, tableReference: { glue: { databaseName: db, tableName: catalogTable } }, allowedColumns, analysisMethod: 'DIRECT_QUERY',
  })).configuredTable;
  assertOk(await client.createConfiguredTableAnalysisRule({
    configuredTableIdentifier: table.id, analysisRuleType: type, analysisRulePolicy: { v1: policy },
  }));
  const cta = assertOk(await client.createConfiguredTableAssociation({
    membershipIdentifier: ms.id, configuredTableIdentifier: table.id, name, roleArn: ROLE,
  })).configuredTableAssociation;
  return { table, cta };
}

// A collaboration of the querier Q (CAN_QUERY, CAN_RECEIVE_RESULTS) and the provider P (no
// ability); both joined. Returns the memberships.
async function queryCollaboration(q, p, P, name) {
  const collab = assertOk(await q.createCollaboration(collaborationInput({
    name, creatorDisplayName: 'Querier', creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
    members: [member(P, 'Provider', [])],
  }))).collaboration;
  const memQ = assertOk(await q.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
  const memP = assertOk(await p.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
  return { collab, memQ, memP };
}

// StartProtectedQuery must fail with ValidationException INVALID_QUERY whose message matches
// every regex of `why`.
async function expectInvalidQuery(client, ms, sqlParameters, why) {
  const err = await expectValidation(client.startProtectedQuery({
    membershipIdentifier: ms.id, type: 'SQL', sqlParameters, resultConfiguration: s3Output('refused'),
  }), 'INVALID_QUERY');
  for (const re of why) assert.match(err.message, re);
  return err;
}

async function listAll(client, mid, extra = {}) {
  return assertOk(await client.listProtectedQueries({ membershipIdentifier: mid, ...extra })).protectedQueries;
}

// ---------------------------------------------------------------------------------------------
// AGGREGATION. P's purchases joined with Q's customers; card is in the file but not allowed.
// Joined on user_id (users 6, 7 and 9 are not Q's customers), per segment:
//   books  users 1,2,3   10 + 20 + 5.5 + 4.5 = 40.0   kept
//   games  users 1,4     3 + 7 = 10.0                 kept
//   garden user 8 (9 is not a customer)               suppressed (1 < 2)
//   music  user 5                                     suppressed
//   toys   users 2,3 (6 is not a customer) 1.25 + 2   kept
//   wine   user 7, not a customer                     no row at all
// amount holds 5.5, so it is a double column and its sums print as doubles ("40.0").
const PURCHASES = [
  ['user_id', 'segment', 'amount', 'email', 'card'],
  ['1', 'books', '10', 'u1@example.com', '4111'], ['2', 'books', '20', 'u2@example.com', '4222'],
  ['3', 'books', '5.5', 'u3@example.com', '4333'], ['1', 'books', '4.5', 'u1@example.com', '4111'],
  ['1', 'games', '3', 'u1@example.com', '4111'], ['4', 'games', '7', 'u4@example.com', '4444'],
  ['5', 'music', '1', 'u5@example.com', '4555'], ['5', 'music', '2', 'u5@example.com', '4555'],
  ['2', 'toys', '1.25', 'u2@example.com', '4222'], ['3', 'toys', '2', 'u3@example.com', '4333'],
  ['6', 'toys', '100', 'u6@example.com', '4666'], ['8', 'garden', '9', 'u8@example.com', '4888'],
  ['9', 'garden', '9', 'u9@example.com', '4999'], ['7', 'wine', '50', 'u7@example.com', '4777'],
];
const CUSTOMERS = [
  ['user_id', 'region'], ['1', 'eu'], ['2', 'us'], ['3', 'eu'], ['4', 'us'], ['5', 'eu'], ['8', 'ap'], ['10', 'us'],
];
const PURCHASES_RULE = {
  aggregation: {
    aggregateColumns: [{ columnNames: ['amount'], function: 'SUM' }, { columnNames: ['user_id'], function: 'COUNT_DISTINCT' }],
    joinColumns: ['user_id'],
    dimensionColumns: ['segment'],
    scalarFunctions: [],
    outputConstraints: [{ columnName: 'user_id', minimum: 2, type: 'COUNT_DISTINCT' }],
  },
};
const CUSTOMERS_RULE = {
  aggregation: {
    aggregateColumns: [{ columnNames: ['user_id'], function: 'COUNT_DISTINCT' }],
    joinColumns: ['user_id'],
    dimensionColumns: ['region'],
    scalarFunctions: [],
    outputConstraints: [{ columnName: 'user_id', minimum: 2, type: 'COUNT_DISTINCT' }],
  },
};
const BY_SEGMENT = 'SELECT p.segment, SUM(p.amount) AS total, COUNT(DISTINCT p.user_id) AS users '
  + 'FROM purchases p JOIN customers c ON p.user_id = c.user_id GROUP BY p.segment';

describe('AGGREGATION: querier Q joins provider P\'s purchases with its customers', () => {
  const step = scenario();
  const [P, Q] = [newAccount(), newAccount()];
  const [p, q] = [P, Q].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_queries_agg');
  let memQ, memP;

  step('setup: collaboration, memberships, both tables with AGGREGATION rules, associated', async () => {
    ({ memQ, memP } = await queryCollaboration(q, p, P, 'aggregation queries'));
    writeCatalogCsv(db, 'purchases', PURCHASES);
    writeCatalogCsv(db, 'customers', CUSTOMERS);
    await contribute(p, memP, db, 'purchases', ['user_id', 'segment', 'amount', 'email'], 'AGGREGATION', PURCHASES_RULE);
    await contribute(q, memQ, db, 'customers', ['user_id', 'region'], 'AGGREGATION', CUSTOMERS_RULE);
    const schemas = assertOk(await q.listSchemas({ collaborationIdentifier: memQ.collaborationId })).schemaSummaries;
    assert.deepEqual(schemas.map((s) => s.name).sort(), ['customers', 'purchases']);
    assert.deepEqual(await listAll(q, memQ.id), []);
  });

  step('per segment: SUBMITTED → SUCCESS; the file holds only segments of ≥ 2 distinct users', async () => {
    // the keyPrefix is echoed as sent and normalized in the location ('' and '.' segments dropped)
    const { query, rows } = await runToSuccess(q, memQ, `${BY_SEGMENT} ORDER BY p.segment`, 'runs//./by-segment', 'runs/by-segment/');
    assert.deepEqual(query.resultConfiguration, s3Output('runs//./by-segment'));
    assert.equal(query.error, undefined);
    assert.deepEqual(rows, [
      ['segment', 'total', 'users'],
      ['books', '40.0', '3'],
      ['games', '10.0', '2'],
      ['toys', '3.25', '2'],
    ]);
  });

  step('LIMIT and OFFSET apply after suppression', async () => {
    // descending: toys, music, garden, games, books. Limiting before suppression would give
    // [toys] (music suppressed) and [] (music at offset 1).
    let r = await runToSuccess(q, memQ, `${BY_SEGMENT} ORDER BY p.segment DESC LIMIT 2`);
    assert.deepEqual(r.rows, [['segment', 'total', 'users'], ['toys', '3.25', '2'], ['games', '10.0', '2']]);
    r = await runToSuccess(q, memQ, `${BY_SEGMENT} ORDER BY p.segment DESC LIMIT 1 OFFSET 1`);
    assert.deepEqual(r.rows, [['segment', 'total', 'users'], ['games', '10.0', '2']]);
  });

  step('by the querier\'s dimension: eu and us kept, ap (one buyer) suppressed; no keyPrefix', async () => {
    // eu: users 1,3,5: 10+4.5+3 + 5.5+2 + 1+2 = 28.0; us: users 2,4: 20+1.25 + 7 = 28.25; ap: user 8
    const { rows } = await runToSuccess(q, memQ,
      'SELECT c.region, COUNT(DISTINCT p.user_id) AS buyers, SUM(p.amount) AS total '
      + 'FROM purchases p JOIN customers c ON p.user_id = c.user_id GROUP BY c.region ORDER BY c.region', null, '');
    assert.deepEqual(rows, [['region', 'buyers', 'total'], ['eu', '3', '28.0'], ['us', '2', '28.25']]);
  });

  step('forbidden queries fail at start with INVALID_QUERY naming the rule, table and column', async () => {
    const before = await listAll(q, memQ.id);
    const join = 'FROM purchases p JOIN customers c ON p.user_id = c.user_id';
    await expectInvalidQuery(q, memQ, { queryString: `SELECT p.email, SUM(p.amount) AS total ${join} GROUP BY p.email` },
      [/AGGREGATION rule of table 'purchases'/, /'email'/, /not a dimension column/]);
    await expectInvalidQuery(q, memQ, { queryString: `SELECT p.user_id, SUM(p.amount) AS total ${join} GROUP BY p.user_id` },
      [/AGGREGATION rule of table 'purchases'/, /'user_id'/, /join column/]);
    await expectInvalidQuery(q, memQ, { queryString: `SELECT p.segment, AVG(p.amount) AS mean ${join} GROUP BY p.segment` },
      [/AGGREGATION rule of table 'purchases'/, /AVG/, /'amount'/]);
    await expectInvalidQuery(q, memQ, { queryString: `SELECT p.segment, SUM(p.card) AS s ${join} GROUP BY p.segment` },
      [/'card'/, /not an allowed column of table 'purchases'/]);
    await expectInvalidQuery(q, memQ, { queryString: `SELECT p.segment, COUNT(*) AS n ${join} GROUP BY p.segment` },
      [/COUNT\(\*\)/]);
    // a refused start leaves no query behind
    assert.deepEqual(await listAll(q, memQ.id), before);
  });

  step('GetProtectedQuery: an unknown id, and a query read through another membership → 404', async () => {
    const [mine] = await listAll(q, memQ.id);
    let err = await expectError(q.getProtectedQuery({ membershipIdentifier: memQ.id, protectedQueryIdentifier: UNKNOWN_ID }),
      'ResourceNotFoundException', 404);
    assert.equal(err.resourceId, UNKNOWN_ID);
    // P is no receiver: its membership does not see Q's query, and Q cannot use P's membership
    await expectError(p.getProtectedQuery({ membershipIdentifier: memP.id, protectedQueryIdentifier: mine.id }),
      'ResourceNotFoundException', 404);
    err = await expectError(q.getProtectedQuery({ membershipIdentifier: memP.id, protectedQueryIdentifier: mine.id }),
      'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.deepEqual(await listAll(p, memP.id), []);
  });
});

// ---------------------------------------------------------------------------------------------
// LIST. P's audience (h3's news/paris row twice; a city with a comma) and Q's CRM, joined on
// hashed_email: h1 → sports/paris and news/paris, h3 → news/paris (twice), h5 → travel; h2 and
// h4 are not in the CRM, h9 has no audience row.
const AUDIENCE = [
  ['hashed_email', 'segment', 'city'],
  ['h1', 'sports', 'paris'], ['h2', 'sports', 'rome'], ['h3', 'news', 'paris'], ['h4', 'news', 'oslo'],
  ['h1', 'news', 'paris'], ['h3', 'news', 'paris'], ['h5', 'travel', '"new york, ny"'],
];
const CRM = [['hashed_email', 'tier'], ['h1', 'gold'], ['h3', 'silver'], ['h5', 'gold'], ['h9', 'gold']];

describe('LIST: the overlap of P\'s audience with Q\'s CRM', () => {
  const step = scenario();
  const [P, Q] = [newAccount(), newAccount()];
  const [p, q] = [P, Q].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_queries_list');
  let memQ, memP;

  step('setup: LIST rules on both tables', async () => {
    ({ memQ, memP } = await queryCollaboration(q, p, P, 'list queries'));
    writeCatalogCsv(db, 'audience', AUDIENCE);
    writeCatalogCsv(db, 'crm', CRM);
    await contribute(p, memP, db, 'audience', ['hashed_email', 'segment', 'city'], 'LIST',
      { list: { joinColumns: ['hashed_email'], listColumns: ['segment', 'city'] } });
    await contribute(q, memQ, db, 'crm', ['hashed_email', 'tier'], 'LIST',
      { list: { joinColumns: ['hashed_email'], listColumns: ['tier'] } });
  });

  step('SELECT DISTINCT of list columns over the join: exact rows, the comma field quoted', async () => {
    const { query, rows } = await runToSuccess(q, memQ, 'SELECT DISTINCT a.segment, a.city '
      + 'FROM audience a JOIN crm c ON a.hashed_email = c.hashed_email ORDER BY a.segment, a.city');
    assert.deepEqual(rows, [['segment', 'city'], ['news', 'paris'], ['sports', 'paris'], ['travel', 'new york, ny']]);
    assert.equal(fs.readFileSync(resultFile(query.result.output.s3.location), 'utf8'),
      'segment,city\nnews,paris\nsports,paris\ntravel,"new york, ny"\n');
  });

  step('filtering on the querier\'s list column; both tables\' list columns in the output', async () => {
    let r = await runToSuccess(q, memQ, 'SELECT DISTINCT a.segment FROM audience a JOIN crm c '
      + 'ON a.hashed_email = c.hashed_email WHERE c.tier = \'gold\' ORDER BY a.segment');
    assert.deepEqual(r.rows, [['segment'], ['news'], ['sports'], ['travel']]);
    r = await runToSuccess(q, memQ, 'SELECT DISTINCT a.segment, c.tier FROM audience a JOIN crm c '
      + 'ON a.hashed_email = c.hashed_email ORDER BY 1, 2');
    assert.deepEqual(r.rows, [['segment', 'tier'], ['news', 'gold'], ['news', 'silver'], ['sports', 'gold'], ['travel', 'gold']]);
  });

  step('forbidden: a join column in the output, no join with the querier, an aggregate', async () => {
    const join = 'FROM audience a JOIN crm c ON a.hashed_email = c.hashed_email';
    await expectInvalidQuery(q, memQ, { queryString: `SELECT a.hashed_email ${join}` },
      [/LIST rule of table 'audience'/, /'hashed_email'/, /not a list column/]);
    await expectInvalidQuery(q, memQ, { queryString: 'SELECT DISTINCT segment FROM audience' },
      [/LIST rule of table 'audience'/, /join it with a table of the querier/, new RegExp(Q)]);
    await expectInvalidQuery(q, memQ, { queryString: `SELECT COUNT(a.segment) AS n ${join}` },
      [/LIST rule of table 'audience'/, /aggregate/]);
    assert.equal((await listAll(q, memQ.id)).length, 3);
  });
});

// ---------------------------------------------------------------------------------------------
// CUSTOM. P's visits, once in provider mode (ANY_QUERY by Q, email never in the output), once
// in provider mode for another account only, and once as "pages" in template mode (only Q's
// analysis template). durations: home 3 and 12, "checkout, step 2" 20 and 9, search 30.
const VISITS = [
  ['user_id', 'page', 'email', 'duration'],
  ['1', 'home', 'a@example.com', '3'], ['2', 'home', 'b@example.com', '12'],
  ['3', '"checkout, step 2"', 'c@example.com', '20'], ['4', '"checkout, step 2"', 'd@example.com', '9'],
  ['5', 'search', 'e@example.com', '30'],
];
const TEMPLATE_SQL = 'SELECT page, SUM(duration) AS total_duration FROM pages '
  + 'WHERE duration >= :min_duration AND duration <= :max_duration GROUP BY page ORDER BY page';

describe('CUSTOM: provider mode (ANY_QUERY) and template mode (an analysis template)', () => {
  const step = scenario();
  const [P, Q, OTHER] = [newAccount(), newAccount(), newAccount()];
  const [p, q] = [P, Q].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_queries_custom');
  let memQ, memP, collab, template;

  step('setup: visits (ANY_QUERY for Q, email disallowed) and closed (ANY_QUERY for another account)', async () => {
    ({ collab, memQ, memP } = await queryCollaboration(q, p, P, 'custom queries'));
    writeCatalogCsv(db, 'visits', VISITS);
    const cols = ['user_id', 'page', 'email', 'duration'];
    await contribute(p, memP, db, 'visits', cols, 'CUSTOM',
      { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [Q], disallowedOutputColumns: ['email'] } });
    await contribute(p, memP, db, 'closed', cols, 'CUSTOM',
      { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [OTHER] } }, 'visits');
  });

  step('a query with a CTE (email used in WHERE, not output) succeeds', async () => {
    // duration ≥ 10 and not e@: user 2 (home), user 3 (checkout); search (user 5) filtered by email
    const { rows } = await runToSuccess(q, memQ,
      'WITH long_visits AS (SELECT page, user_id FROM visits WHERE duration >= 10 AND email <> \'e@example.com\') '
      + 'SELECT page, COUNT(DISTINCT user_id) AS visitors FROM long_visits GROUP BY page ORDER BY page');
    assert.deepEqual(rows, [['page', 'visitors'], ['checkout, step 2', '1'], ['home', '1']]);
  });

  step('outputting the disallowed column fails at start, however it is carried', async () => {
    const why = [/CUSTOM rule of table 'visits'/, /'email'/, /disallowedOutputColumns/];
    await expectInvalidQuery(q, memQ, { queryString: 'SELECT email FROM visits' }, why);
    await expectInvalidQuery(q, memQ, { queryString: 'WITH e AS (SELECT lower(email) AS who FROM visits) SELECT who FROM e' }, why);
    await expectInvalidQuery(q, memQ, { queryString: 'SELECT * FROM visits' }, why);
  });

  step('a table whose providers do not include Q refuses Q\'s ad hoc query', async () => {
    await expectInvalidQuery(q, memQ, { queryString: 'SELECT page FROM closed' },
      [/table 'closed' allows only these analyses/i, new RegExp(OTHER), new RegExp(`ad hoc query by account ${Q}`)]);
  });

  step('Q creates an analysis template; P allows only it on "pages" (template mode)', async () => {
    template = assertOk(await q.createAnalysisTemplate({
      membershipIdentifier: memQ.id, name: 'time per page', format: 'SQL', source: { text: TEMPLATE_SQL },
      analysisParameters: [{ name: 'min_duration', type: 'INTEGER' }, { name: 'max_duration', type: 'INTEGER', defaultValue: '1000' }],
    })).analysisTemplate;
    assert.equal(template.arn, `arn:aws:cleanrooms:${REGION}:${Q}:membership/${memQ.id}/analysistemplate/${template.id}`);
    await contribute(p, memP, db, 'pages', ['user_id', 'page', 'duration'], 'CUSTOM',
      { custom: { allowedAnalyses: [template.arn] } }, 'visits');
  });

  step('StartProtectedQuery with the template and its parameters: the right rows', async () => {
    // duration ≥ 9 (max_duration defaults to 1000): checkout 20 + 9, home 12, search 30
    let r = await runToSuccess(q, memQ, { analysisTemplateArn: template.arn, parameters: { min_duration: '9' } });
    assert.deepEqual(r.query.sqlParameters, { analysisTemplateArn: template.arn, parameters: { min_duration: '9' } });
    assert.deepEqual(r.rows, [['page', 'total_duration'], ['checkout, step 2', '29'], ['home', '12'], ['search', '30']]);
    r = await runToSuccess(q, memQ, { analysisTemplateArn: template.arn, parameters: { min_duration: '1', max_duration: '10' } });
    assert.deepEqual(r.rows, [['page', 'total_duration'], ['checkout, step 2', '9'], ['home', '3']]);
  });

  step('template mode refuses a direct queryString; parameters are checked', async () => {
    await expectInvalidQuery(q, memQ, { queryString: 'SELECT page, SUM(duration) AS t FROM pages GROUP BY page' },
      [/table 'pages' allows only these analyses/i, new RegExp(template.arn), /ad hoc query/]);
    await expectInvalidQuery(q, memQ, { analysisTemplateArn: template.arn, parameters: { min_duration: '9', bogus: '1' } },
      [/bogus/, /not declared/]);
    await expectInvalidQuery(q, memQ, { analysisTemplateArn: template.arn }, [/min_duration/, /must be supplied|no value/]);
    await expectInvalidQuery(q, memQ, { analysisTemplateArn: template.arn, parameters: { min_duration: 'nine' } },
      [/min_duration/, /INTEGER/, /number/]);
    // parameters without a template, or a template with a query string: INVALID_CONFIGURATION
    await expectValidation(q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', resultConfiguration: s3Output('x'),
      sqlParameters: { queryString: 'SELECT page FROM visits', parameters: { min_duration: '9' } },
    }), 'INVALID_CONFIGURATION');
    await expectValidation(q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', resultConfiguration: s3Output('x'),
      sqlParameters: { queryString: 'SELECT page FROM visits', analysisTemplateArn: template.arn },
    }), 'INVALID_CONFIGURATION');
    // a template that is not in the collaboration
    const missing = template.arn.replace(template.id, UNKNOWN_ID);
    const err = await expectError(q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', resultConfiguration: s3Output('x'),
      sqlParameters: { analysisTemplateArn: missing, parameters: { min_duration: '9' } },
    }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceId, missing);
    // the template is visible to P as a collaboration template, but P's account is no analysis provider
    const seen = assertOk(await p.getCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArn: template.arn,
    })).collaborationAnalysisTemplate;
    assert.equal(seen.source.text, TEMPLATE_SQL);
  });
});

// ---------------------------------------------------------------------------------------------
// The lifecycle: errors at start, listing, cancelling, a table whose file disappeared.
const NUMS = [['n', 'label'], ...Array.from({ length: 800 }, (_, i) => [String(i), `l${i % 7}`])];
// 800³ = 512 million rows: many seconds of work for SQLite, stopped by the cancellation.
const SLOW = 'SELECT COUNT(*) AS c FROM nums a CROSS JOIN nums b CROSS JOIN nums c';

describe('lifecycle: start errors, ListProtectedQueries, UpdateProtectedQuery, cancellation, lost data', () => {
  const step = scenario();
  const [P, Q] = [newAccount(), newAccount()];
  const [p, q] = [P, Q].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_queries_life');
  let memQ, memP, goneCsv, nums;
  const done = []; // finished queries, oldest first

  step('setup: nums and gone, CUSTOM ANY_QUERY for Q', async () => {
    ({ memQ, memP } = await queryCollaboration(q, p, P, 'query lifecycle'));
    writeCatalogCsv(db, 'nums', NUMS);
    goneCsv = writeCatalogCsv(db, 'gone', [['n'], ['1'], ['2']]);
    const custom = { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [Q] } };
    nums = await contribute(p, memP, db, 'nums', ['n', 'label'], 'CUSTOM', custom);
    await contribute(p, memP, db, 'gone', ['n'], 'CUSTOM', custom);
  });

  step('start errors: no CAN_QUERY, bad SQL, unknown table, PARQUET, no destination, bad type, foreign membership', async () => {
    const start = (client, mid, extra) => client.startProtectedQuery({
      membershipIdentifier: mid, type: 'SQL', sqlParameters: { queryString: 'SELECT n FROM nums' }, resultConfiguration: s3Output('x'), ...extra,
    });
    let err = await expectError(start(p, memP.id), 'AccessDeniedException', 403);
    assert.equal(err.reason, 'INSUFFICIENT_PERMISSIONS');
    assert.match(err.message, /CAN_QUERY/);
    err = await expectInvalidQuery(q, memQ, { queryString: 'SELEC n FROM nums' }, [/syntax error/, /SELEC/]);
    err = await expectInvalidQuery(q, memQ, { queryString: 'SELECT n FROM no_such_table' }, [/no_such_table/, /not a schema/]);
    await expectInvalidQuery(q, memQ, { queryString: 'SELECT n FROM nums; SELECT n FROM gone' }, [/one statement/]);
    err = await expectValidation(start(q, memQ.id, { resultConfiguration: s3Output('x', 'PARQUET') }), 'INVALID_CONFIGURATION');
    assert.match(err.message, /PARQUET/);
    // no resultConfiguration and the membership has no default one
    err = await expectValidation(start(q, memQ.id, { resultConfiguration: undefined }), 'INVALID_CONFIGURATION');
    assert.match(err.message, /resultConfiguration/);
    await expectValidation(start(q, memQ.id, { type: 'PYSPARK' }), 'FIELD_VALIDATION_FAILED', ['type']);
    err = await expectError(start(q, memP.id), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.deepEqual(await listAll(q, memQ.id), []);
  });

  step('three queries succeed with their exact results', async () => {
    const cases = [
      ['SELECT COUNT(*) AS c FROM nums', [['c'], ['800']]],
      ['SELECT label, COUNT(*) AS c FROM nums WHERE n < 10 GROUP BY label ORDER BY label',
        [['label', 'c'], ['l0', '2'], ['l1', '2'], ['l2', '2'], ['l3', '1'], ['l4', '1'], ['l5', '1'], ['l6', '1']]],
      ['SELECT n FROM nums WHERE n >= 797 ORDER BY n DESC', [['n'], ['799'], ['798'], ['797']]],
    ];
    for (const [sql, want] of cases) {
      const { query, rows } = await runToSuccess(q, memQ, sql);
      assert.deepEqual(rows, want, sql);
      done.push(query);
    }
  });

  step('a table whose CSV was deleted after configuring: FAILED, DATA_UNAVAILABLE, no result file', async () => {
    fs.rmSync(goneCsv);
    const sqlParameters = { queryString: 'SELECT n FROM gone' };
    const pq = assertOk(await q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters, resultConfiguration: s3Output('lost'),
    })).protectedQuery;
    assertSubmitted(pq, memQ, sqlParameters, s3Output('lost'));
    const got = await waitFor(q, memQ.id, pq.id);
    assert.equal(got.status, 'FAILED', JSON.stringify(got));
    assert.equal(got.error?.code, 'DATA_UNAVAILABLE');
    assert.match(got.error.message, /'gone'/);
    assertFinished(got, pq, 'FAILED', { error: { code: 'DATA_UNAVAILABLE', message: got.error.message } });
    assert.equal(fs.existsSync(path.join(resultsDir(), BUCKET, 'lost', pq.id, 'result.csv')), false);
    done.push(got);
  });

  step('ListProtectedQueries: newest first, exact summaries with receiverConfigurations', async () => {
    const list = await listAll(q, memQ.id);
    const receivers = [{ analysisType: 'DIRECT_ANALYSIS', configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: [Q] } } }];
    assert.deepEqual(list, [...done].reverse().map((d) => ({
      id: d.id, membershipId: memQ.id, membershipArn: membershipArn(Q, memQ.id), createTime: d.createTime, status: d.status,
      receiverConfigurations: receivers,
    })));
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].createTime >= list[i].createTime, 'newest first');
  });

  step('ListProtectedQueries: status filter, maxResults 1 with nextToken, bad arguments', async () => {
    const newestFirst = [...done].reverse().map((d) => d.id);
    assert.deepEqual((await listAll(q, memQ.id, { status: 'FAILED' })).map((s) => s.id), [done[3].id]);
    assert.deepEqual((await listAll(q, memQ.id, { status: 'SUCCESS' })).map((s) => s.id), newestFirst.slice(1));
    assert.deepEqual(await listAll(q, memQ.id, { status: 'CANCELLED' }), []);
    const ids = [];
    let nextToken;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10, 'at most 10 pages');
      const page = assertOk(await q.listProtectedQueries({ membershipIdentifier: memQ.id, maxResults: 1, nextToken }));
      assert.equal(page.protectedQueries.length, 1, `page ${pages} holds one query`);
      ids.push(page.protectedQueries[0].id);
      nextToken = page.nextToken;
      if (nextToken === undefined) break;
      assert.equal(typeof nextToken, 'string');
    }
    assert.deepEqual(ids, newestFirst);
    // with the filter too: three SUCCESS queries on two pages
    const first = assertOk(await q.listProtectedQueries({ membershipIdentifier: memQ.id, status: 'SUCCESS', maxResults: 2 }));
    assert.deepEqual(first.protectedQueries.map((s) => s.id), newestFirst.slice(1, 3));
    const second = assertOk(await q.listProtectedQueries({
      membershipIdentifier: memQ.id, status: 'SUCCESS', maxResults: 2, nextToken: first.nextToken,
    }));
    assert.deepEqual(second.protectedQueries.map((s) => s.id), newestFirst.slice(3));
    assert.equal(second.nextToken, undefined);
    await expectValidation(q.listProtectedQueries({ membershipIdentifier: memQ.id, status: 'DONE' }), 'FIELD_VALIDATION_FAILED', ['status']);
    await expectValidation(q.listProtectedQueries({ membershipIdentifier: memQ.id, maxResults: 101 }), 'FIELD_VALIDATION_FAILED', ['maxResults']);
    await expectError(q.listProtectedQueries({ membershipIdentifier: memP.id }), 'ResourceNotFoundException', 404);
  });

  step('UpdateProtectedQuery: finished → Conflict, unknown → NotFound, bad targetStatus → Validation', async () => {
    for (const d of [done[0], done[3]]) {
      const err = await expectError(q.updateProtectedQuery({
        membershipIdentifier: memQ.id, protectedQueryIdentifier: d.id, targetStatus: 'CANCELLED',
      }), 'ConflictException', 409);
      assert.match(err.message, new RegExp(d.status));
      assert.equal(err.reason, 'INVALID_STATE');
    }
    let err = await expectError(q.updateProtectedQuery({
      membershipIdentifier: memQ.id, protectedQueryIdentifier: UNKNOWN_ID, targetStatus: 'CANCELLED',
    }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceId, UNKNOWN_ID);
    err = await expectValidation(q.updateProtectedQuery({
      membershipIdentifier: memQ.id, protectedQueryIdentifier: done[0].id, targetStatus: 'SUCCESS',
    }), 'FIELD_VALIDATION_FAILED', ['targetStatus']);
    assert.match(err.message, /CANCELLED/);
    // nothing changed
    assert.equal((await waitFor(q, memQ.id, done[0].id)).status, 'SUCCESS');
  });

  step('cancelling a running query: STARTED → CANCELLING → CANCELLED, no result file; quota of 5', async () => {
    const start = () => q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters: { queryString: SLOW }, resultConfiguration: s3Output('slow'),
    });
    const slow = assertOk(await start()).protectedQuery;
    const started = await waitFor(q, memQ.id, slow.id, (x) => x.status !== 'SUBMITTED', 5000);
    assert.equal(started.status, 'STARTED', JSON.stringify(started));
    assert.equal(started.statistics, undefined);
    assert.equal(started.result, undefined);

    // SPEC.md 10, Q22: while a query reads nums, the provider cannot delete the association of
    // its schema; the message does not name the query, which P may not see
    const inUse = await expectError(p.deleteConfiguredTableAssociation({
      membershipIdentifier: memP.id, configuredTableAssociationIdentifier: nums.cta.id,
    }), 'ConflictException', 409);
    assert.equal(inUse.reason, 'INVALID_STATE');
    assert.equal(inUse.resourceId, nums.cta.id);
    assert.equal(inUse.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    assert.match(inUse.message, /STARTED/);
    assert.doesNotMatch(inUse.message, new RegExp(slow.id));

    // four more make five ongoing queries: the sixth is over the quota
    const more = [];
    for (let i = 0; i < 4; i++) more.push(assertOk(await start()).protectedQuery);
    const err = await expectError(start(), 'ServiceQuotaExceededException', 402);
    assert.equal(err.quotaName, 'Concurrent ongoing queries per membership');
    assert.equal(err.quotaValue, 5);
    for (const m of more.reverse()) {
      const u = assertOk(await q.updateProtectedQuery({
        membershipIdentifier: memQ.id, protectedQueryIdentifier: m.id, targetStatus: 'CANCELLED',
      })).protectedQuery;
      assert.ok(['CANCELLING', 'CANCELLED'].includes(u.status), u.status);
    }

    const u = assertOk(await q.updateProtectedQuery({
      membershipIdentifier: memQ.id, protectedQueryIdentifier: slow.id, targetStatus: 'CANCELLED',
    })).protectedQuery;
    assert.deepEqual(u, { ...slow, status: 'CANCELLING' });
    const cancelled = await waitFor(q, memQ.id, slow.id, (x) => x.status !== 'CANCELLING', 5000);
    assertFinished(cancelled, slow, 'CANCELLED', {});
    // idempotent once cancelled
    const again = assertOk(await q.updateProtectedQuery({
      membershipIdentifier: memQ.id, protectedQueryIdentifier: slow.id, targetStatus: 'CANCELLED',
    })).protectedQuery;
    assert.deepEqual(again, cancelled);
    for (const m of more) assert.equal((await waitFor(q, memQ.id, m.id, undefined, 5000)).status, 'CANCELLED');
    for (const id of [slow.id, ...more.map((m) => m.id)]) {
      assert.equal(fs.existsSync(path.join(resultsDir(), BUCKET, 'slow', id, 'result.csv')), false, `no result for ${id}`);
      assert.equal(fs.existsSync(path.join(resultsDir(), BUCKET, 'slow', id, 'result.csv.tmp')), false);
    }
    const list = await listAll(q, memQ.id, { status: 'CANCELLED' });
    assert.deepEqual(list.map((s) => s.id).sort(), [slow.id, ...more.map((m) => m.id)].sort());
  });

  step('deleting the rule of a table a running query reads: held up only by --strict-rule-deletion', async () => {
    // SPEC.md 9: not by default; the server's strict mode (scripts/test.sh runs the SigV4 server
    // with it and sets CLEANROOMSD_STRICT_RULE_DELETION) refuses it like the association's.
    const strict = process.env.CLEANROOMSD_STRICT_RULE_DELETION === '1';
    const reader = assertOk(await q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters: { queryString: SLOW }, resultConfiguration: s3Output('slow'),
    })).protectedQuery;
    const running = await waitFor(q, memQ.id, reader.id, (x) => x.status !== 'SUBMITTED', 5000);
    assert.equal(running.status, 'STARTED', JSON.stringify(running));
    const deleteRule = () => p.deleteConfiguredTableAnalysisRule({ configuredTableIdentifier: nums.table.id, analysisRuleType: 'CUSTOM' });
    if (strict) {
      const err = await expectError(deleteRule(), 'ConflictException', 409);
      assert.equal(err.reason, 'INVALID_STATE');
      assert.equal(err.resourceId, nums.table.id);
      assert.equal(err.resourceType, 'CONFIGURED_TABLE');
      assert.doesNotMatch(err.message, new RegExp(reader.id));
    } else {
      assertOk(await deleteRule(), 204);
    }
    assertOk(await q.updateProtectedQuery({ membershipIdentifier: memQ.id, protectedQueryIdentifier: reader.id, targetStatus: 'CANCELLED' }));
    assert.equal((await waitFor(q, memQ.id, reader.id, (x) => x.status !== 'CANCELLING', 5000)).status, 'CANCELLED');
    if (strict) assertOk(await deleteRule(), 204); // the query has finished
    // every query on nums has finished: its association can go now
    assertOk(await p.deleteConfiguredTableAssociation({
      membershipIdentifier: memP.id, configuredTableAssociationIdentifier: nums.cta.id,
    }), 204);
  });
});

// ---------------------------------------------------------------------------------------------
// A querier without CAN_RECEIVE_RESULTS: results go to a member that can receive them.
describe('destinations: querier Q without CAN_RECEIVE_RESULTS, receiver R', () => {
  const step = scenario();
  const [R, Q] = [newAccount(), newAccount()];
  const [r, q] = [R, Q].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_queries_dest');
  const SQL = 'SELECT page, COUNT(user_id) AS views FROM visits GROUP BY page ORDER BY page';
  const ROWS = [['page', 'views'], ['checkout, step 2', '2'], ['home', '2'], ['search', '1']];
  let memQ, memR, viaMember;

  step('setup: R creates the collaboration (CAN_RECEIVE_RESULTS), Q (CAN_QUERY) contributes visits', async () => {
    const collab = assertOk(await r.createCollaboration(collaborationInput({
      name: 'destinations', creatorDisplayName: 'Receiver', creatorMemberAbilities: ['CAN_RECEIVE_RESULTS'],
      members: [member(Q, 'Querier', ['CAN_QUERY'])],
    }))).collaboration;
    memR = assertOk(await r.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    memQ = assertOk(await q.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    writeCatalogCsv(db, 'visits', VISITS);
    await contribute(q, memQ, db, 'visits', ['user_id', 'page'], 'CUSTOM',
      { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [Q] } });
  });

  step('an s3 output, or a member output naming Q itself, is refused (INVALID_CONFIGURATION)', async () => {
    let err = await expectValidation(q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters: { queryString: SQL }, resultConfiguration: s3Output('x'),
    }), 'INVALID_CONFIGURATION');
    assert.match(err.message, /cannot receive results/);
    err = await expectValidation(q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters: { queryString: SQL },
      resultConfiguration: { outputConfiguration: { member: { accountId: Q } } },
    }), 'INVALID_CONFIGURATION');
    assert.match(err.message, new RegExp(Q));
  });

  step('a member output naming R: SUCCESS with memberList, the rows in the members\' folder', async () => {
    const resultConfiguration = { outputConfiguration: { member: { accountId: R } } };
    const pq = assertOk(await q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters: { queryString: SQL }, resultConfiguration,
    })).protectedQuery;
    assertSubmitted(pq, memQ, { queryString: SQL }, resultConfiguration);
    viaMember = await waitFor(q, memQ.id, pq.id);
    assertFinished(viaMember, pq, 'SUCCESS', { result: { output: { memberList: [{ accountId: R }] } } });
    assert.deepEqual(readResult(memberResultFile(pq.id)), ROWS);
  });

  step('no resultConfiguration: the results go to the collaboration\'s receivers', async () => {
    const pq = assertOk(await q.startProtectedQuery({
      membershipIdentifier: memQ.id, type: 'SQL', sqlParameters: { queryString: SQL },
    })).protectedQuery;
    assertSubmitted(pq, memQ, { queryString: SQL });
    const got = await waitFor(q, memQ.id, pq.id);
    assertFinished(got, pq, 'SUCCESS', { result: { output: { memberList: [{ accountId: R }] } } });
    assert.deepEqual(readResult(memberResultFile(pq.id)), ROWS);
  });

  step('the receiver R reads and lists the query through its own membership, but cannot cancel it', async () => {
    const seen = assertOk(await r.getProtectedQuery({
      membershipIdentifier: memR.id, protectedQueryIdentifier: viaMember.id,
    })).protectedQuery;
    assert.deepEqual(seen, viaMember);
    const list = await listAll(r, memR.id);
    assert.equal(list.length, 2);
    assert.ok(list.some((s) => s.id === viaMember.id));
    for (const s of list) {
      assert.equal(s.membershipId, memQ.id);
      assert.deepEqual(s.receiverConfigurations, [{
        analysisType: 'DIRECT_ANALYSIS', configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: [R] } },
      }]);
    }
    await expectError(r.updateProtectedQuery({
      membershipIdentifier: memR.id, protectedQueryIdentifier: viaMember.id, targetStatus: 'CANCELLED',
    }), 'ResourceNotFoundException', 404);
    // R cannot query: it lacks CAN_QUERY
    await expectError(r.startProtectedQuery({
      membershipIdentifier: memR.id, type: 'SQL', sqlParameters: { queryString: SQL },
    }), 'AccessDeniedException', 403);
  });
});
