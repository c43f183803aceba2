// Hostile and malformed input on the configured-table, analysis-rule, association and schema
// routes: every shape problem is a 400 ValidationException (FIELD_VALIDATION_FAILED) whose
// fieldList names the member path, found before any lookup (the ids below exist nowhere), never
// a 500; the server keeps answering. Reference: shared/spec/SPEC.md 2.1, 2.2, 8-11, Appendix A.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINT, assertError, assertValidation, call, createCollaboration, newAccount } from './wire.mjs';

const A = newAccount();
const ID = '0f0f0f0f-0000-4000-8000-00000000000a';
const ID2 = '0f0f0f0f-0000-4000-8000-00000000000b';
const ROLE = 'arn:aws:iam::123456789012:role/cleanrooms-provider';

// A request that must be rejected as a shape error naming every one of `fields`.
async function rejects(method, path, { body, raw, fields = [] } = {}) {
  const opts = { account: A };
  if (raw !== undefined) Object.assign(opts, { raw, headers: { 'content-type': 'application/json' } });
  else if (body !== undefined) opts.body = body;
  const res = await call(method, path, opts);
  const err = assertValidation(res, fields);
  assert.equal(err.reason, 'FIELD_VALIDATION_FAILED', `${method} ${path}: reason (${res.text.slice(0, 300)})`);
  if (fields.length) assert.ok(err.fieldList.length >= 1);
  return err;
}

const table = (overrides = {}) => ({
  name: 'wire table',
  tableReference: { glue: { databaseName: 'wire_db', tableName: 'wire_table' } },
  allowedColumns: ['id', 'amount'],
  analysisMethod: 'DIRECT_QUERY',
  ...overrides,
});
const aggregation = (overrides = {}) => ({
  aggregateColumns: [{ columnNames: ['amount'], function: 'SUM' }],
  joinColumns: ['id'],
  dimensionColumns: [],
  scalarFunctions: [],
  outputConstraints: [{ columnName: 'id', minimum: 2, type: 'COUNT_DISTINCT' }],
  ...overrides,
});
const rule = (policy, type = 'AGGREGATION') => ({ analysisRuleType: type, analysisRulePolicy: policy });
const glue = { databaseName: 'd', tableName: 't' };
const athena = { databaseName: 'd', tableName: 't', workGroup: 'primary' };

async function health() {
  const res = await fetch(`${ENDPOINT}/health`);
  assert.equal(res.status, 200, 'the server still answers /health');
}

describe('CreateConfiguredTable / UpdateConfiguredTable bodies', () => {
  it('tableReference with zero or two union members', async () => {
    await rejects('POST', '/configuredTables', { body: table({ tableReference: {} }), fields: [/^tableReference$/] });
    await rejects('POST', '/configuredTables', { body: table({ tableReference: { glue, athena } }), fields: [/^tableReference$/] });
    await rejects('PATCH', `/configuredTables/${ID}`, { body: { tableReference: {} }, fields: [/^tableReference$/] });
    await rejects('PATCH', `/configuredTables/${ID}`, { body: { tableReference: { glue, athena } }, fields: [/^tableReference$/] });
  });

  it('a tableReference member the model does not have (idMappingTable) is no member at all', async () => {
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { idMappingTable: { databaseName: 'd', tableName: 't' } } }), fields: [/^tableReference$/],
    });
  });

  it('a null union member counts as absent', async () => {
    await rejects('POST', '/configuredTables', { body: table({ tableReference: { glue: null } }), fields: [/^tableReference$/] });
  });

  it('wrong JSON types name the member', async () => {
    await rejects('POST', '/configuredTables', { body: table({ tableReference: 'glue' }), fields: ['tableReference'] });
    await rejects('POST', '/configuredTables', { body: table({ tableReference: [glue] }), fields: ['tableReference'] });
    await rejects('POST', '/configuredTables', { body: table({ tableReference: { glue: 'd.t' } }), fields: [/^tableReference\.glue$/] });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { glue: { databaseName: 5, tableName: ['t'] } } }),
      fields: ['tableReference.glue.databaseName', 'tableReference.glue.tableName'],
    });
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: 'id' }), fields: ['allowedColumns'] });
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: { 0: 'id' } }), fields: ['allowedColumns'] });
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: ['id', 7] }), fields: [/^allowedColumns\.1$/] });
    await rejects('POST', '/configuredTables', { body: table({ name: 5, analysisMethod: true }), fields: ['name', 'analysisMethod'] });
    await rejects('POST', '/configuredTables', { body: table({ tags: ['k'] }), fields: [/^tags/] });
    await rejects('POST', '/configuredTables', { body: table({ selectedAnalysisMethods: 'DIRECT_QUERY' }),
      fields: ['selectedAnalysisMethods'] });
    await rejects('PATCH', `/configuredTables/${ID}`, { body: { allowedColumns: 'id', name: {} }, fields: ['allowedColumns', 'name'] });
  });

  it('missing required members are all listed', async () => {
    await rejects('POST', '/configuredTables', {
      body: {}, fields: ['name', 'tableReference', 'allowedColumns', 'analysisMethod'],
    });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { glue: {} } }),
      fields: ['tableReference.glue.databaseName', 'tableReference.glue.tableName'],
    });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { athena: { databaseName: 'd', tableName: 't' } } }), fields: ['tableReference.athena.workGroup'],
    });
  });

  it('values outside patterns, lengths and enums', async () => {
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: [] }), fields: ['allowedColumns'] });
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: ['ID'] }), fields: [/^allowedColumns\.0$/] });
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: ['id', 'a-b'] }), fields: [/^allowedColumns\.1$/] });
    await rejects('POST', '/configuredTables', { body: table({ allowedColumns: ['c'.repeat(129)] }), fields: [/^allowedColumns\.0$/] });
    await rejects('POST', '/configuredTables', { body: table({ analysisMethod: 'SOMETIMES' }), fields: ['analysisMethod'] });
    await rejects('POST', '/configuredTables', { body: table({ name: 'n'.repeat(101) }), fields: ['name'] });
    await rejects('POST', '/configuredTables', { body: table({ name: '   ' }), fields: ['name'] });
    await rejects('POST', '/configuredTables', { body: table({ name: 'two\nlines' }), fields: ['name'] });
    await rejects('POST', '/configuredTables', { body: table({ description: 'd'.repeat(256) }), fields: ['description'] });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { glue: { databaseName: 'bad/db', tableName: 'bad table?' } } }),
      fields: ['tableReference.glue.databaseName', 'tableReference.glue.tableName'],
    });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { glue: { databaseName: 'd'.repeat(129), tableName: 't' } } }),
      fields: ['tableReference.glue.databaseName'],
    });
    await rejects('POST', '/configuredTables', { body: table({ selectedAnalysisMethods: ['DIRECT_SOMETHING'] }),
      fields: [/^selectedAnalysisMethods/] });
  });

  it('huge allowedColumns lists: 101 valid names exceed the quota (402), 20 000 bad names are one 400', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `c${i}`);
    const res = await call('POST', '/configuredTables', { account: A, body: table({ allowedColumns: many }) });
    const body = assertError(res, 402, 'ServiceQuotaExceededException');
    assert.equal(body.quotaName, 'Columns per configured table allowlist');
    assert.equal(body.quotaValue, 100);
    const huge = Array.from({ length: 50_000 }, (_, i) => `c${i}`);
    assertError(await call('POST', '/configuredTables', { account: A, body: table({ allowedColumns: huge }) }),
      402, 'ServiceQuotaExceededException');
    const bad = Array.from({ length: 20_000 }, (_, i) => `BAD${i}`);
    const err = await rejects('POST', '/configuredTables', { body: table({ allowedColumns: bad }), fields: [/^allowedColumns\.\d+$/] });
    assert.ok(JSON.stringify(err).length < 1024 * 1024, 'the error body stays bounded');
    // nothing was created by any of this
    assert.deepEqual((await call('GET', '/configuredTables', { account: A })).json.configuredTableSummaries, []);
    await health();
  });

  it('invalid UTF-8 and overlong UTF-8 encodings inside strings', async () => {
    for (const bytes of [[0xff, 0xfe], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xc3]]) {
      const raw = Buffer.concat([
        Buffer.from('{"name":"x'), Buffer.from(bytes),
        Buffer.from('","tableReference":{"glue":{"databaseName":"d","tableName":"t"}},"allowedColumns":["id"],"analysisMethod":"DIRECT_QUERY"}'),
      ]);
      const res = await call('POST', '/configuredTables', { account: A, raw, headers: { 'content-type': 'application/json' } });
      assertValidation(res);
    }
    await health();
  });
});

describe('analysis rule bodies and path labels', () => {
  const path = `/configuredTables/${ID}/analysisRule`;

  it('analysisRulePolicy with zero or two members', async () => {
    await rejects('POST', path, { body: rule({}), fields: ['analysisRulePolicy'] });
    await rejects('POST', path, { body: rule({ v1: {} }), fields: ['analysisRulePolicy.v1'] });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation(), list: { joinColumns: ['id'], listColumns: ['amount'] } } }),
      fields: ['analysisRulePolicy.v1'],
    });
    await rejects('PATCH', `${path}/AGGREGATION`, { body: { analysisRulePolicy: { v1: {} } }, fields: ['analysisRulePolicy.v1'] });
    await rejects('PATCH', `${path}/LIST`, {
      body: { analysisRulePolicy: { v1: { list: { joinColumns: ['id'], listColumns: [] }, custom: { allowedAnalyses: [] } } } },
      fields: ['analysisRulePolicy.v1'],
    });
  });

  it('an idMappingTable policy member is not a configured-table rule', async () => {
    await rejects('POST', path, {
      body: rule({ v1: { idMappingTable: { joinColumns: ['a', 'b'], queryConstraints: [], dimensionColumns: [] } } }),
      fields: [/^analysisRulePolicy\.v1(\.idMappingTable)?$/],
    });
    await rejects('POST', path, { body: rule({ v1: { custom: { allowedAnalyses: [] } } }, 'ID_MAPPING_TABLE'),
      fields: ['analysisRuleType'] });
  });

  it('wrong JSON types inside the policy name the member path', async () => {
    await rejects('POST', path, { body: rule('aggregation'), fields: ['analysisRulePolicy'] });
    await rejects('POST', path, { body: rule({ v1: [] }), fields: ['analysisRulePolicy.v1'] });
    await rejects('POST', path, { body: rule({ v1: { aggregation: 'all' } }), fields: ['analysisRulePolicy.v1.aggregation'] });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation({ outputConstraints: [{ columnName: 'id', minimum: '2', type: 'COUNT_DISTINCT' }] }) } }),
      fields: ['analysisRulePolicy.v1.aggregation.outputConstraints.0.minimum'],
    });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation({ joinColumns: 'id' }) } }),
      fields: ['analysisRulePolicy.v1.aggregation.joinColumns'],
    });
    await rejects('POST', path, { body: { analysisRuleType: 5, analysisRulePolicy: { v1: { aggregation: aggregation() } } },
      fields: ['analysisRuleType'] });
  });

  it('missing members, out-of-range numbers and unknown enum values inside the policy', async () => {
    await rejects('POST', path, { body: {}, fields: ['analysisRuleType', 'analysisRulePolicy'] });
    const { aggregateColumns, outputConstraints, ...partial } = aggregation();
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: partial } }),
      fields: ['analysisRulePolicy.v1.aggregation.aggregateColumns', 'analysisRulePolicy.v1.aggregation.outputConstraints'],
    });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation({ outputConstraints: [{ columnName: 'id', minimum: 1, type: 'COUNT_DISTINCT' }] }) } }),
      fields: ['analysisRulePolicy.v1.aggregation.outputConstraints.0.minimum'],
    });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation({ outputConstraints: [{ columnName: 'id', minimum: 100001, type: 'COUNT' }] }) } }),
      fields: ['analysisRulePolicy.v1.aggregation.outputConstraints.0.minimum', 'analysisRulePolicy.v1.aggregation.outputConstraints.0.type'],
    });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation({ aggregateColumns: [{ columnNames: ['amount'], function: 'MEDIAN' }] }) } }),
      fields: ['analysisRulePolicy.v1.aggregation.aggregateColumns.0.function'],
    });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation({ scalarFunctions: ['EVAL'] }) } }),
      fields: [/^analysisRulePolicy\.v1\.aggregation\.scalarFunctions/],
    });
    await rejects('POST', path, {
      body: rule({ v1: { list: { joinColumns: [], listColumns: ['id'] } } }, 'LIST'),
      fields: ['analysisRulePolicy.v1.list.joinColumns'],
    });
    await rejects('POST', path, {
      body: rule({ v1: { custom: { allowedAnalyses: ['SOME_QUERY'] } } }, 'CUSTOM'),
      fields: [/^analysisRulePolicy\.v1\.custom\.allowedAnalyses/],
    });
    await rejects('POST', path, {
      body: rule({ v1: { aggregation: aggregation() } }, 'BOGUS'), fields: ['analysisRuleType'],
    });
  });

  it('a bad analysisRuleType path label', async () => {
    for (const label of ['BOGUS', 'aggregation', 'ID_MAPPING_TABLE', 'AGGREGATION%20']) {
      await rejects('GET', `${path}/${label}`, { fields: ['analysisRuleType'] });
      await rejects('DELETE', `${path}/${label}`, { fields: ['analysisRuleType'] });
      await rejects('PATCH', `${path}/${label}`, {
        body: { analysisRulePolicy: { v1: { aggregation: aggregation() } } }, fields: ['analysisRuleType'],
      });
    }
  });

  it('a huge policy is refused without a 500', async () => {
    const columns = Array.from({ length: 30_000 }, (_, i) => `c${i}`);
    const res = await call('POST', path, {
      account: A, body: rule({ v1: { aggregation: aggregation({ joinColumns: columns }) } }),
    });
    assert.ok([400, 402, 404].includes(res.status), `4xx, got ${res.status}: ${res.text.slice(0, 200)}`);
    await health();
  });
});

describe('non-UUID path labels', () => {
  const bad = ['not-a-uuid', ID.toUpperCase(), `${ID}x`, `x${ID}`, encodeURIComponent(`arn:aws:cleanrooms:us-east-1:${A}:configuredtable/${ID}`)];

  it('configuredTableIdentifier', async () => {
    for (const label of bad) {
      await rejects('GET', `/configuredTables/${label}`, { fields: ['configuredTableIdentifier'] });
      await rejects('DELETE', `/configuredTables/${label}`, { fields: ['configuredTableIdentifier'] });
      await rejects('PATCH', `/configuredTables/${label}`, { body: { name: 'x' }, fields: ['configuredTableIdentifier'] });
      await rejects('POST', `/configuredTables/${label}/analysisRule`, {
        body: rule({ v1: { aggregation: aggregation() } }), fields: ['configuredTableIdentifier'],
      });
      await rejects('GET', `/configuredTables/${label}/analysisRule/LIST`, { fields: ['configuredTableIdentifier'] });
    }
  });

  it('membershipIdentifier and configuredTableAssociationIdentifier', async () => {
    const cta = { name: 'n', configuredTableIdentifier: ID, roleArn: ROLE };
    for (const label of bad) {
      await rejects('GET', `/memberships/${label}/configuredTableAssociations`, { fields: ['membershipIdentifier'] });
      await rejects('POST', `/memberships/${label}/configuredTableAssociations`, { body: cta, fields: ['membershipIdentifier'] });
      await rejects('GET', `/memberships/${ID}/configuredTableAssociations/${label}`,
        { fields: ['configuredTableAssociationIdentifier'] });
      await rejects('PATCH', `/memberships/${label}/configuredTableAssociations/${label}`, {
        body: { description: 'x' }, fields: ['membershipIdentifier', 'configuredTableAssociationIdentifier'],
      });
      await rejects('DELETE', `/memberships/${ID}/configuredTableAssociations/${label}`,
        { fields: ['configuredTableAssociationIdentifier'] });
      await rejects('GET', `/memberships/${ID}/configuredTableAssociations/${label}/analysisRule/AGGREGATION`,
        { fields: ['configuredTableAssociationIdentifier'] });
    }
  });

  it('collaborationIdentifier on the schema routes', async () => {
    for (const label of bad) {
      await rejects('GET', `/collaborations/${label}/schemas`, { fields: ['collaborationIdentifier'] });
      await rejects('GET', `/collaborations/${label}/schemas/orders`, { fields: ['collaborationIdentifier'] });
      await rejects('GET', `/collaborations/${label}/schemas/orders/analysisRule/LIST`, { fields: ['collaborationIdentifier'] });
      await rejects('POST', `/collaborations/${label}/batch-schema`, { body: { names: ['orders'] }, fields: ['collaborationIdentifier'] });
      await rejects('POST', `/collaborations/${label}/batch-schema-analysis-rule`, {
        body: { schemaAnalysisRuleRequests: [{ name: 'orders', type: 'LIST' }] }, fields: ['collaborationIdentifier'],
      });
    }
  });
});

describe('CreateConfiguredTableAssociation and association analysis rule bodies', () => {
  const path = `/memberships/${ID}/configuredTableAssociations`;
  const cta = (overrides = {}) => ({ name: 'orders', configuredTableIdentifier: ID2, roleArn: ROLE, ...overrides });

  it('missing, mistyped and malformed members', async () => {
    await rejects('POST', path, { body: {}, fields: ['name', 'configuredTableIdentifier', 'roleArn'] });
    await rejects('POST', path, { body: cta({ name: 7, roleArn: false }), fields: ['name', 'roleArn'] });
    await rejects('POST', path, { body: cta({ configuredTableIdentifier: 'nope' }), fields: ['configuredTableIdentifier'] });
    await rejects('POST', path, { body: cta({ roleArn: 'arn:aws:iam::1:role/x' }), fields: ['roleArn'] });
    await rejects('POST', path, { body: cta({ roleArn: `arn:aws:iam::123456789012:user/${'u'.repeat(30)}` }), fields: ['roleArn'] });
    await rejects('POST', path, { body: cta({ name: 'a-b' }), fields: ['name'] });
    await rejects('POST', path, { body: cta({ name: 'n'.repeat(129) }), fields: ['name'] });
    await rejects('POST', path, { body: cta({ name: 'caf\u00e9' }), fields: ['name'] });
    await rejects('POST', path, { body: cta({ description: 'd'.repeat(256) }), fields: ['description'] });
    await rejects('POST', path, { body: cta({ tags: { 'aws:x': 'y' } }), fields: [/^tags/] });
    await rejects('PATCH', `${path}/${ID2}`, { body: { roleArn: 5, description: [] }, fields: ['roleArn', 'description'] });
  });

  it('association analysis rules: unions, types and the path label', async () => {
    const rpath = `${path}/${ID2}/analysisRule`;
    await rejects('POST', rpath, { body: {}, fields: ['analysisRuleType', 'analysisRulePolicy'] });
    await rejects('POST', rpath, { body: rule({}), fields: ['analysisRulePolicy'] });
    await rejects('POST', rpath, { body: rule({ v1: {} }), fields: ['analysisRulePolicy.v1'] });
    await rejects('POST', rpath, { body: rule({ v1: { aggregation: {}, list: {} } }), fields: ['analysisRulePolicy.v1'] });
    await rejects('POST', rpath, {
      body: rule({ v1: { aggregation: { allowedResultReceivers: ['123'] } } }),
      fields: [/^analysisRulePolicy\.v1\.aggregation\.allowedResultReceivers\.0$/],
    });
    await rejects('POST', rpath, {
      body: rule({ v1: { aggregation: { allowedResultReceivers: '123456789012' } } }),
      fields: ['analysisRulePolicy.v1.aggregation.allowedResultReceivers'],
    });
    await rejects('POST', rpath, { body: rule({ v1: { aggregation: {} } }, 'ID_MAPPING_TABLE'), fields: ['analysisRuleType'] });
    for (const label of ['BOGUS', 'ID_MAPPING_TABLE', 'list']) {
      await rejects('GET', `${rpath}/${label}`, { fields: ['analysisRuleType'] });
      await rejects('DELETE', `${rpath}/${label}`, { fields: ['analysisRuleType'] });
      await rejects('PATCH', `${rpath}/${label}`, { body: { analysisRulePolicy: { v1: { list: {} } } }, fields: ['analysisRuleType'] });
    }
  });
});

describe('schema routes', () => {
  let collab;
  before(async () => {
    collab = await createCollaboration(A, { creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] });
    const res = await call('POST', '/memberships', { account: A, body: { collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' } });
    assert.equal(res.status, 200, res.text);
  });

  it('a schema name with a percent-encoded space is decoded: 404 naming "my table"', async () => {
    const res = await call('GET', `/collaborations/${collab.id}/schemas/my%20table`, { account: A });
    const body = assertError(res, 404, 'ResourceNotFoundException');
    assert.equal(body.resourceId, 'my table');
    assert.equal(body.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    const rule404 = assertError(await call('GET', `/collaborations/${collab.id}/schemas/my%20table/analysisRule/LIST`, { account: A }),
      404, 'ResourceNotFoundException');
    assert.equal(rule404.resourceId, 'my table');
  });

  it('schema name labels outside «ALIAS» or over 128 characters', async () => {
    for (const label of ['a-b', '-x', '%20x', 'bad%2Fname', 'caf%C3%A9', 'tab%09name', 'n'.repeat(129), '%00', '%C0%80', '%FF']) {
      await rejects('GET', `/collaborations/${collab.id}/schemas/${label}`, { fields: ['name'] });
      await rejects('GET', `/collaborations/${collab.id}/schemas/${label}/analysisRule/LIST`, { fields: ['name'] });
    }
  });

  it('a label that is not valid percent-encoding: 400 naming the label', async () => {
    for (const label of ['%ZZ', 'x%', '%4']) {
      assertValidation(await call('GET', `/collaborations/${collab.id}/schemas/${label}`, { account: A }), ['name']);
      assertValidation(await call('GET', `/collaborations/${label}/schemas/x`, { account: A }), ['collaborationIdentifier']);
      assertValidation(await call('DELETE', `/configuredTables/${label}`, { account: A }), ['configuredTableIdentifier']);
    }
  });

  it('encoded slashes and dots stay inside their label', async () => {
    // "../.." cannot climb out of the label to another resource: the value is simply invalid.
    assertValidation(await call('GET', `/collaborations/..%2F..%2Fcollaborations%2F${collab.id}`, { account: A }), ['collaborationIdentifier']);
    assertValidation(await call('GET', `/collaborations/${collab.id}%2Fmembers`, { account: A }), ['collaborationIdentifier']);
  });

  it('a bad type label of GetSchemaAnalysisRule', async () => {
    for (const label of ['BOGUS', 'list', 'ID_MAPPING']) {
      await rejects('GET', `/collaborations/${collab.id}/schemas/orders/analysisRule/${label}`, { fields: ['type'] });
    }
  });

  it('ListSchemas query parameters', async () => {
    await rejects('GET', `/collaborations/${collab.id}/schemas?schemaType=VIEW`, { fields: ['schemaType'] });
    await rejects('GET', `/collaborations/${collab.id}/schemas?maxResults=0`, { fields: ['maxResults'] });
    await rejects('GET', `/collaborations/${collab.id}/schemas?maxResults=x`, { fields: ['maxResults'] });
    await rejects('GET', `/collaborations/${collab.id}/schemas?nextToken=forged`, { fields: ['nextToken'] });
    const ok = await call('GET', `/collaborations/${collab.id}/schemas?schemaType=TABLE&maxResults=100`, { account: A });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { schemaSummaries: [] });
  });

  it('BatchGetSchema: 0 or 26 names, wrong types, bad names', async () => {
    const path = `/collaborations/${collab.id}/batch-schema`;
    await rejects('POST', path, { body: { names: Array.from({ length: 26 }, (_, i) => `t${i}`) }, fields: ['names'] });
    await rejects('POST', path, { body: { names: [] }, fields: ['names'] });
    await rejects('POST', path, { body: {}, fields: ['names'] });
    await rejects('POST', path, { body: { names: 'orders' }, fields: ['names'] });
    await rejects('POST', path, { body: { names: ['ok', 5] }, fields: [/^names\.1$/] });
    await rejects('POST', path, { body: { names: ['ok', 'a-b', 'n'.repeat(129)] }, fields: [/^names\.1$/, /^names\.2$/] });
    // 25 is the maximum: all reported missing
    const res = await call('POST', path, { account: A, body: { names: Array.from({ length: 25 }, (_, i) => `t${i}`) } });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(res.json.schemas, []);
    assert.equal(res.json.errors.length, 25);
    for (const e of res.json.errors) assert.deepEqual(Object.keys(e).sort(), ['code', 'message', 'name']);
  });

  it('BatchGetSchemaAnalysisRule: 0 or 26 requests, bad types', async () => {
    const path = `/collaborations/${collab.id}/batch-schema-analysis-rule`;
    const req = (i, type = 'LIST') => ({ name: `t${i}`, type });
    await rejects('POST', path, { body: { schemaAnalysisRuleRequests: Array.from({ length: 26 }, (_, i) => req(i)) },
      fields: ['schemaAnalysisRuleRequests'] });
    await rejects('POST', path, { body: { schemaAnalysisRuleRequests: [] }, fields: ['schemaAnalysisRuleRequests'] });
    await rejects('POST', path, { body: {}, fields: ['schemaAnalysisRuleRequests'] });
    await rejects('POST', path, { body: { schemaAnalysisRuleRequests: [req(0, 'BOGUS'), { name: 5 }] },
      fields: [/^schemaAnalysisRuleRequests\.0\.type$/, /^schemaAnalysisRuleRequests\.1\.name$/, /^schemaAnalysisRuleRequests\.1\.type$/] });
    const res = await call('POST', path, { account: A, body: { schemaAnalysisRuleRequests: [req(0), req(1, 'ID_MAPPING_TABLE')] } });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(res.json.analysisRules, []);
    assert.deepEqual(res.json.errors.map((e) => [e.name, e.type]), [['t0', 'LIST'], ['t1', 'ID_MAPPING_TABLE']]);
  });

  it('invalid UTF-8 in BatchGetSchema names', async () => {
    const raw = Buffer.concat([Buffer.from('{"names":["ok","'), Buffer.from([0xc0, 0x80]), Buffer.from('"]}')]);
    assertValidation(await call('POST', `/collaborations/${collab.id}/batch-schema`, {
      account: A, raw, headers: { 'content-type': 'application/json' },
    }));
  });
});

describe('what must still be accepted', () => {
  it('unknown members are ignored and null members are absent (SPEC 2.1)', async () => {
    const B = newAccount();
    const res = await call('POST', '/configuredTables', {
      account: B,
      body: table({
        description: null, selectedAnalysisMethods: null, tags: null, futureMember: { a: 1 },
        tableReference: { glue: { databaseName: 'wire_db', tableName: 'wire_table', region: null, futureMember: 5 }, athena: null },
      }),
    });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const t = res.json.configuredTable;
    assert.deepEqual(t.tableReference, { glue: { databaseName: 'wire_db', tableName: 'wire_table' } });
    for (const absent of ['description', 'selectedAnalysisMethods', 'futureMember']) assert.equal(t[absent], undefined, absent);
    const r = await call('POST', `/configuredTables/${t.id}/analysisRule`, {
      account: B,
      body: rule({ v1: { list: { joinColumns: ['id'], listColumns: ['amount'], allowedJoinOperators: null }, aggregation: null } }, 'LIST'),
    });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.deepEqual(r.json.analysisRule.policy, { v1: { list: { joinColumns: ['id'], listColumns: ['amount'] } } });
    assert.equal((await call('DELETE', `/configuredTables/${t.id}`, { account: B })).status, 204);
  });

  it('snowflake and athena references; their own unions and enums are checked', async () => {
    const B = newAccount();
    const snowflake = {
      secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x', accountIdentifier: 'acct', databaseName: 'db',
      tableName: 't', schemaName: 'public', tableSchema: { v1: [{ columnName: 'id', columnType: 'int' }] },
    };
    for (const tableReference of [{ snowflake }, { athena }]) {
      const res = await call('POST', '/configuredTables', { account: B, body: table({ tableReference, allowedColumns: ['id'] }) });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.deepEqual(res.json.configuredTable.tableReference, tableReference);
      assert.equal((await call('DELETE', `/configuredTables/${res.json.configuredTable.id}`, { account: B })).status, 204);
    }
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { snowflake: { ...snowflake, tableSchema: {} } } }), fields: ['tableReference.snowflake.tableSchema'],
    });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { snowflake: { ...snowflake, tableSchema: { v1: [] } } } }),
      fields: [/^tableReference\.snowflake\.tableSchema/],
    });
    await rejects('POST', '/configuredTables', {
      body: table({ tableReference: { glue: { ...glue, region: 'mars-1' } } }), fields: ['tableReference.glue.region'],
    });
  });
});

after(async () => {
  // the server survived everything above
  await health();
});
