// Configured tables, their analysis rules, associations, association analysis rules, schemas and
// tags through the official JS SDK: a data provider B contributes a table of the local catalog
// (a CSV file written by this test) to a collaboration created by the querier A.
// Reference: shared/spec/SPEC.md sections 8, 9, 10, 11, 15, 20; catalog/README.md.
// Needs CLEANROOMSD_DATA_DIR (the catalog is $CLEANROOMSD_DATA_DIR/catalog).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import {
  paginateListConfiguredTableAssociations, paginateListConfiguredTables, paginateListSchemas,
} from '@aws-sdk/client-cleanrooms';
import {
  REGION, UUID_RE, assertOk, assertTimestamp, clientFor, collaborationInput, expectError, expectValidation, member, newAccount,
  uniqueDatabase, writeCatalogCsv,
} from './helpers.mjs';
import { scenario } from './steps.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/cleanrooms-provider';
const ROLE2 = 'arn:aws:iam::123456789012:role/cleanrooms-provider-v2';

const ORDERS = [
  ['id', 'amount', 'name', 'region', 'secret'],
  ['1', '2.5', 'alice', 'eu', 's1'],
  ['2', '10', 'bob', 'us', 's2'],
  ['3', '-4.25e1', 'carol', '', 's3'],
];
// the catalog types of ORDERS as the server infers them, in catalog order
const ORDERS_TYPES = { id: 'bigint', amount: 'double', name: 'string', region: 'string', secret: 'string' };

const aggregation = (minimum = 2) => ({
  aggregateColumns: [{ columnNames: ['amount'], function: 'SUM' }, { columnNames: ['id'], function: 'COUNT_DISTINCT' }],
  joinColumns: ['id'],
  dimensionColumns: ['region'],
  scalarFunctions: ['ABS', 'ROUND'],
  outputConstraints: [{ columnName: 'id', minimum, type: 'COUNT_DISTINCT' }],
});

async function all(paginator, key) {
  const out = [];
  for await (const page of paginator) out.push(...page[key]);
  return out;
}

// Pages by hand with maxResults 1: every page but the last carries a nextToken, no page is empty
// or holds more than one item; returns the ids in page order.
async function pageByOne(list, key) {
  const ids = [];
  let nextToken;
  for (let pages = 0; pages < 100; pages++) {
    const resp = assertOk(await list({ maxResults: 1, nextToken }));
    assert.equal(resp[key].length, 1, `page ${pages} holds one item (${JSON.stringify(resp[key])})`);
    ids.push(resp[key][0].id);
    nextToken = resp.nextToken;
    if (nextToken === undefined) return ids;
    assert.equal(typeof nextToken, 'string');
  }
  assert.fail('more than 100 pages');
}

describe('configured tables, associations and schemas: querier A, data provider B', () => {
  const step = scenario();
  const [A, B] = [newAccount(), newAccount()];
  const [a, b] = [A, B].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_tables');
  let collab, memA, memB;
  let table, rule, cta; // the AGGREGATION table and its association "Orders"
  let listTable, customTable, listCta, customCta;
  let partTable, partCta;
  const templateArn = () => `arn:aws:cleanrooms:${REGION}:${A}:membership/${memA.id}/analysistemplate/`
    + '0f0f0f0f-0000-4000-8000-00000000000a';

  step('A creates the collaboration (A queries and receives, B has no ability); both join', async () => {
    collab = assertOk(await a.createCollaboration(collaborationInput({
      name: 'tables', creatorDisplayName: 'Alpha', creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
      members: [member(B, 'Bravo', [])],
    }))).collaboration;
    memA = assertOk(await a.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    memB = assertOk(await b.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    assert.equal(memB.status, 'ACTIVE');
    // nothing contributed yet
    assert.deepEqual(assertOk(await a.listSchemas({ collaborationIdentifier: collab.id })).schemaSummaries, []);
  });

  step('B writes a catalog table and creates a configured table on it', async () => {
    writeCatalogCsv(db, 'orders', ORDERS);
    const resp = assertOk(await b.createConfiguredTable({
      name: 'orders table',
      description: 'orders from the catalog',
      tableReference: { glue: { databaseName: db, tableName: 'orders' } },
      allowedColumns: ['name', 'id', 'amount', 'region'],
      analysisMethod: 'DIRECT_QUERY',
      tags: { team: 'data' },
    }));
    table = resp.configuredTable;
    assert.match(table.id, UUID_RE);
    assert.equal(table.arn, `arn:aws:cleanrooms:${REGION}:${B}:configuredtable/${table.id}`);
    assert.equal(table.name, 'orders table');
    assert.equal(table.description, 'orders from the catalog');
    assert.deepEqual(table.tableReference, { glue: { databaseName: db, tableName: 'orders' } });
    assert.deepEqual(table.allowedColumns, ['name', 'id', 'amount', 'region']);
    assert.equal(table.analysisMethod, 'DIRECT_QUERY');
    assert.deepEqual(table.analysisRuleTypes, []);
    assert.equal(table.selectedAnalysisMethods, undefined);
    assertTimestamp(table.createTime, 'createTime');
    assert.equal(table.updateTime.getTime(), table.createTime.getTime());
    assert.deepEqual(assertOk(await b.getConfiguredTable({ configuredTableIdentifier: table.id })).configuredTable, table);
  });

  step('B adds an AGGREGATION rule; the table lists the type', async () => {
    const resp = assertOk(await b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id,
      analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: aggregation() } },
    }));
    rule = resp.analysisRule;
    assert.equal(rule.configuredTableId, table.id);
    assert.equal(rule.configuredTableArn, table.arn);
    assert.equal(rule.type, 'AGGREGATION');
    assert.deepEqual(rule.policy, { v1: { aggregation: aggregation() } });
    assertTimestamp(rule.createTime, 'rule createTime');
    const got = assertOk(await b.getConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION',
    })).analysisRule;
    assert.deepEqual(got, rule);
    const t = assertOk(await b.getConfiguredTable({ configuredTableIdentifier: table.id })).configuredTable;
    assert.deepEqual(t.analysisRuleTypes, ['AGGREGATION']);
    // no rule of another type
    await expectError(b.getConfiguredTableAnalysisRule({ configuredTableIdentifier: table.id, analysisRuleType: 'LIST' }),
      'ResourceNotFoundException', 404);
  });

  step('B associates the table as "Orders"', async () => {
    const resp = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id,
      configuredTableIdentifier: table.id,
      name: 'Orders',
      description: 'B\'s orders',
      roleArn: ROLE,
      tags: { kind: 'association' },
    }));
    cta = resp.configuredTableAssociation;
    assert.match(cta.id, UUID_RE);
    assert.equal(cta.arn, `arn:aws:cleanrooms:${REGION}:${B}:membership/${memB.id}/configuredtableassociation/${cta.id}`);
    assert.equal(cta.configuredTableId, table.id);
    assert.equal(cta.configuredTableArn, table.arn);
    assert.equal(cta.membershipId, memB.id);
    assert.equal(cta.membershipArn, memB.arn);
    assert.equal(cta.roleArn, ROLE);
    assert.equal(cta.name, 'Orders');
    assert.equal(cta.description, 'B\'s orders');
    assert.deepEqual(cta.analysisRuleTypes ?? [], []);
    assertTimestamp(cta.createTime, 'association createTime');
    assert.deepEqual(assertOk(await b.getConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    })).configuredTableAssociation, cta);
  });

  step('ListSchemas: both members see B\'s schema', async () => {
    for (const cl of [a, b]) {
      const list = await all(paginateListSchemas({ client: cl }, { collaborationIdentifier: collab.id }), 'schemaSummaries');
      assert.equal(list.length, 1);
      const s = list[0];
      assert.equal(s.name, 'Orders');
      assert.equal(s.type, 'TABLE');
      assert.equal(s.creatorAccountId, B);
      assert.equal(s.collaborationId, collab.id);
      assert.equal(s.collaborationArn, collab.arn);
      assert.deepEqual(s.analysisRuleTypes, ['AGGREGATION']);
      assert.equal(s.analysisMethod, 'DIRECT_QUERY');
      assert.equal(s.resourceArn, cta.arn);
      assert.equal(s.createTime.getTime(), cta.createTime.getTime());
    }
    const filtered = assertOk(await a.listSchemas({ collaborationIdentifier: collab.id, schemaType: 'TABLE' }));
    assert.deepEqual(filtered.schemaSummaries.map((s) => s.name), ['Orders']);
    const none = assertOk(await a.listSchemas({ collaborationIdentifier: collab.id, schemaType: 'ID_MAPPING_TABLE' }));
    assert.deepEqual(none.schemaSummaries, []);
  });

  step('GetSchema: catalog columns with inferred types, in catalog order, only allowed ones; READY', async () => {
    const s = assertOk(await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema;
    assert.equal(s.name, 'Orders');
    assert.equal(s.type, 'TABLE');
    assert.equal(s.creatorAccountId, B);
    assert.equal(s.collaborationId, collab.id);
    assert.equal(s.collaborationArn, collab.arn);
    assert.equal(s.description, 'B\'s orders');
    assert.equal(s.resourceArn, cta.arn);
    assert.equal(s.analysisMethod, 'DIRECT_QUERY');
    assert.deepEqual(s.analysisRuleTypes, ['AGGREGATION']);
    assert.deepEqual(s.columns, ['id', 'amount', 'name', 'region'].map((name) => ({ name, type: ORDERS_TYPES[name] })));
    assert.deepEqual(s.partitionKeys, []);
    assert.equal(s.schemaTypeProperties, undefined);
    assert.deepEqual(s.schemaStatusDetails, [
      { status: 'READY', analysisRuleType: 'AGGREGATION', analysisType: 'DIRECT_ANALYSIS' },
    ]);
    assertTimestamp(s.createTime, 'schema createTime');
    assertTimestamp(s.updateTime, 'schema updateTime');
    // names are looked up case-insensitively (SPEC Q12); B sees the same schema
    const lower = assertOk(await a.getSchema({ collaborationIdentifier: collab.id, name: 'orders' })).schema;
    assert.equal(lower.name, 'Orders');
    assert.deepEqual(assertOk(await b.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema, s);
  });

  step('GetSchemaAnalysisRule: the table\'s policy, no collaboration policy yet', async () => {
    const r = assertOk(await a.getSchemaAnalysisRule({
      collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION',
    })).analysisRule;
    assert.equal(r.collaborationId, collab.id);
    assert.equal(r.type, 'AGGREGATION');
    assert.equal(r.name, 'Orders');
    assert.deepEqual(r.policy, { v1: { aggregation: aggregation() } });
    assert.equal(r.collaborationPolicy, undefined);
    assert.equal(r.consolidatedPolicy, undefined);
    assert.equal(r.createTime.getTime(), rule.createTime.getTime());
    for (const type of ['LIST', 'CUSTOM', 'ID_MAPPING_TABLE']) {
      const err = await expectError(a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'Orders', type }),
        'ResourceNotFoundException', 404);
      assert.equal(err.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    }
  });

  step('BatchGetSchema: one good and one unknown name → schemas + errors', async () => {
    const resp = assertOk(await a.batchGetSchema({ collaborationIdentifier: collab.id, names: ['Orders', 'missing_table'] }));
    assert.deepEqual(resp.schemas.map((s) => s.name), ['Orders']);
    assert.deepEqual(resp.schemas[0],
      assertOk(await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema);
    assert.equal(resp.errors.length, 1);
    const [e] = resp.errors;
    assert.equal(e.name, 'missing_table');
    assert.equal(e.code, 'ResourceNotFoundException');
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    const none = assertOk(await a.batchGetSchema({ collaborationIdentifier: collab.id, names: ['nope1', 'nope2'] }));
    assert.deepEqual(none.schemas, []);
    assert.deepEqual(none.errors.map((x) => x.name), ['nope1', 'nope2']);
  });

  step('BatchGetSchemaAnalysisRule: found rules and per-request errors', async () => {
    const resp = assertOk(await a.batchGetSchemaAnalysisRule({
      collaborationIdentifier: collab.id,
      schemaAnalysisRuleRequests: [
        { name: 'Orders', type: 'AGGREGATION' }, { name: 'Orders', type: 'LIST' }, { name: 'missing_table', type: 'AGGREGATION' },
      ],
    }));
    assert.equal(resp.analysisRules.length, 1);
    assert.equal(resp.analysisRules[0].name, 'Orders');
    assert.equal(resp.analysisRules[0].type, 'AGGREGATION');
    assert.deepEqual(resp.analysisRules[0].policy, { v1: { aggregation: aggregation() } });
    assert.deepEqual(resp.errors.map((e) => [e.name, e.type]).sort(), [['Orders', 'LIST'], ['missing_table', 'AGGREGATION']]);
    for (const e of resp.errors) {
      assert.equal(typeof e.code, 'string');
      assert.equal(typeof e.message, 'string');
    }
  });

  step('tags on the configured table: create-time tags, TagResource, UntagResource', async () => {
    assert.deepEqual(assertOk(await b.listTagsForResource({ resourceArn: table.arn })).tags, { team: 'data' });
    assertOk(await b.tagResource({ resourceArn: table.arn, tags: { env: 'test', team: 'core' } }));
    assert.deepEqual((await b.listTagsForResource({ resourceArn: table.arn })).tags, { team: 'core', env: 'test' });
    assertOk(await b.untagResource({ resourceArn: table.arn, tagKeys: ['team', 'not-there'] }));
    assert.deepEqual((await b.listTagsForResource({ resourceArn: table.arn })).tags, { env: 'test' });
    // only the owner sees or changes them
    await expectError(a.listTagsForResource({ resourceArn: table.arn }), 'ResourceNotFoundException', 404);
    await expectError(a.tagResource({ resourceArn: table.arn, tags: { x: 'y' } }), 'ResourceNotFoundException', 404);
    assert.deepEqual((await b.listTagsForResource({ resourceArn: table.arn })).tags, { env: 'test' });
  });

  step('tags on the association (an ARN longer than 100 characters)', async () => {
    assert.ok(cta.arn.length > 100);
    assert.deepEqual(assertOk(await b.listTagsForResource({ resourceArn: cta.arn })).tags, { kind: 'association' });
    assertOk(await b.tagResource({ resourceArn: cta.arn, tags: { owner: 'bravo' } }));
    assert.deepEqual((await b.listTagsForResource({ resourceArn: cta.arn })).tags, { kind: 'association', owner: 'bravo' });
    assertOk(await b.untagResource({ resourceArn: cta.arn, tagKeys: ['kind'] }));
    assert.deepEqual((await b.listTagsForResource({ resourceArn: cta.arn })).tags, { owner: 'bravo' });
    await expectError(a.listTagsForResource({ resourceArn: cta.arn }), 'ResourceNotFoundException', 404);
    await expectError(a.untagResource({ resourceArn: cta.arn, tagKeys: ['owner'] }), 'ResourceNotFoundException', 404);
    assert.deepEqual((await b.listTagsForResource({ resourceArn: cta.arn })).tags, { owner: 'bravo' });
  });

  step('association analysis rule: create and get; the association lists its type', async () => {
    const created = assertOk(await b.createConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id,
      configuredTableAssociationIdentifier: cta.id,
      analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: { allowedResultReceivers: [A] } } },
    })).analysisRule;
    assert.equal(created.membershipIdentifier, memB.id);
    assert.equal(created.configuredTableAssociationId, cta.id);
    assert.equal(created.configuredTableAssociationArn, cta.arn);
    assert.equal(created.type, 'AGGREGATION');
    assert.deepEqual(created.policy, { v1: { aggregation: { allowedResultReceivers: [A] } } });
    assertTimestamp(created.createTime, 'association rule createTime');
    const got = assertOk(await b.getConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
    })).analysisRule;
    assert.deepEqual(got, created);
    const assoc = (await b.getConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    })).configuredTableAssociation;
    assert.deepEqual(assoc.analysisRuleTypes, ['AGGREGATION']);
    const summary = (await b.listConfiguredTableAssociations({ membershipIdentifier: memB.id }))
      .configuredTableAssociationSummaries.find((s) => s.id === cta.id);
    assert.deepEqual(summary.analysisRuleTypes, ['AGGREGATION']);
    // a second one of the same type is a conflict
    await expectError(b.createConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: {} } },
    }), 'ConflictException', 409);
    // A cannot read it through B's membership
    await expectError(a.getConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
    }), 'ResourceNotFoundException', 404);
  });

  step('GetSchemaAnalysisRule now carries collaborationPolicy and consolidatedPolicy', async () => {
    const r = assertOk(await a.getSchemaAnalysisRule({
      collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION',
    })).analysisRule;
    assert.deepEqual(r.policy, { v1: { aggregation: aggregation() } });
    assert.deepEqual(r.collaborationPolicy, { v1: { aggregation: { allowedResultReceivers: [A] } } });
    assert.deepEqual(r.consolidatedPolicy, { v1: { aggregation: { ...aggregation(), allowedResultReceivers: [A] } } });
  });

  step('association analysis rule: update, then delete; the schema rule follows', async () => {
    const updated = assertOk(await b.updateConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: {} } },
    })).analysisRule;
    assert.deepEqual(updated.policy, { v1: { aggregation: {} } });
    assert.ok(updated.updateTime.getTime() >= updated.createTime.getTime());
    let r = (await a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION' }))
      .analysisRule;
    assert.deepEqual(r.collaborationPolicy, { v1: { aggregation: {} } });
    assert.deepEqual(r.consolidatedPolicy, { v1: { aggregation: aggregation() } });

    assertOk(await b.updateConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: { allowedResultReceivers: [A] } } },
    }));
    r = (await a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION' }))
      .analysisRule;
    assert.deepEqual(r.collaborationPolicy, { v1: { aggregation: { allowedResultReceivers: [A] } } });

    assertOk(await b.deleteConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
    }), 204);
    await expectError(b.getConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
    }), 'ResourceNotFoundException', 404);
    await expectError(b.deleteConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id, analysisRuleType: 'AGGREGATION',
    }), 'ResourceNotFoundException', 404);
    r = (await a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION' }))
      .analysisRule;
    assert.equal(r.collaborationPolicy, undefined);
    assert.equal(r.consolidatedPolicy, undefined);
    const assoc = (await b.getConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    })).configuredTableAssociation;
    assert.deepEqual(assoc.analysisRuleTypes ?? [], []);
  });

  step('UpdateConfiguredTable round-trip; the schema follows', async () => {
    const before = (await b.getConfiguredTable({ configuredTableIdentifier: table.id })).configuredTable;
    const updated = assertOk(await b.updateConfiguredTable({
      configuredTableIdentifier: table.id, name: 'orders renamed', description: 'new description',
    })).configuredTable;
    assert.equal(updated.name, 'orders renamed');
    assert.equal(updated.description, 'new description');
    assert.deepEqual(updated.allowedColumns, before.allowedColumns);
    assert.deepEqual(updated.tableReference, before.tableReference);
    assert.deepEqual(updated.analysisRuleTypes, ['AGGREGATION']);
    assert.equal(updated.createTime.getTime(), before.createTime.getTime());
    assert.ok(updated.updateTime.getTime() >= before.updateTime.getTime());
    assert.deepEqual((await b.getConfiguredTable({ configuredTableIdentifier: table.id })).configuredTable, updated);
    // widen the allow list: the schema shows the new column at its catalog place
    const wider = assertOk(await b.updateConfiguredTable({
      configuredTableIdentifier: table.id, allowedColumns: ['name', 'id', 'amount', 'region', 'secret'],
    })).configuredTable;
    assert.deepEqual(wider.allowedColumns, ['name', 'id', 'amount', 'region', 'secret']);
    assert.equal(wider.name, 'orders renamed');
    let s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema;
    assert.deepEqual(s.columns.map((c) => c.name), ['id', 'amount', 'name', 'region', 'secret']);
    assertOk(await b.updateConfiguredTable({
      configuredTableIdentifier: table.id, allowedColumns: ['name', 'id', 'amount', 'region'],
    }));
    s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema;
    assert.deepEqual(s.columns.map((c) => c.name), ['id', 'amount', 'name', 'region']);
  });

  step('UpdateConfiguredTableAnalysisRule round-trip; GetSchemaAnalysisRule follows at once', async () => {
    const updated = assertOk(await b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: aggregation(50) } },
    })).analysisRule;
    assert.deepEqual(updated.policy, { v1: { aggregation: aggregation(50) } });
    assert.equal(updated.createTime.getTime(), rule.createTime.getTime());
    assert.ok(updated.updateTime.getTime() >= rule.updateTime.getTime());
    assert.deepEqual((await b.getConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION',
    })).analysisRule, updated);
    const r = (await a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION' }))
      .analysisRule;
    assert.deepEqual(r.policy, { v1: { aggregation: aggregation(50) } });
    assert.equal(r.updateTime.getTime(), updated.updateTime.getTime());
    // the schema's updateTime is the latest of the association, table and rule times (SPEC 20.1)
    const s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema;
    assert.equal(s.updateTime.getTime(), updated.updateTime.getTime());
    rule = updated;
  });

  step('UpdateConfiguredTableAssociation round-trip; the schema description follows', async () => {
    const updated = assertOk(await b.updateConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
      description: 'renamed description', roleArn: ROLE2,
    })).configuredTableAssociation;
    assert.equal(updated.description, 'renamed description');
    assert.equal(updated.roleArn, ROLE2);
    assert.equal(updated.name, 'Orders');
    assert.equal(updated.configuredTableId, table.id);
    assert.equal(updated.createTime.getTime(), cta.createTime.getTime());
    assert.deepEqual((await b.getConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    })).configuredTableAssociation, updated);
    const s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema;
    assert.equal(s.description, 'renamed description');
    cta = updated;
  });

  step('LIST and CUSTOM rules are accepted and associated', async () => {
    listTable = assertOk(await b.createConfiguredTable({
      name: 'orders list', tableReference: { glue: { databaseName: db, tableName: 'orders' } },
      allowedColumns: ['id', 'name', 'region'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    const listPolicy = { v1: { list: { joinColumns: ['id'], listColumns: ['name', 'region'] } } };
    const lr = assertOk(await b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: listTable.id, analysisRuleType: 'LIST', analysisRulePolicy: listPolicy,
    })).analysisRule;
    assert.equal(lr.type, 'LIST');
    assert.deepEqual(lr.policy, listPolicy);

    customTable = assertOk(await b.createConfiguredTable({
      name: 'orders custom', tableReference: { glue: { databaseName: db, tableName: 'orders' } },
      allowedColumns: ['id', 'amount'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    const customPolicy = { v1: { custom: { allowedAnalyses: [templateArn()], disallowedOutputColumns: ['id'] } } };
    const cr = assertOk(await b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: customTable.id, analysisRuleType: 'CUSTOM', analysisRulePolicy: customPolicy,
    })).analysisRule;
    assert.equal(cr.type, 'CUSTOM');
    assert.deepEqual(cr.policy, customPolicy);

    listCta = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: listTable.id, name: 'orders_list', roleArn: ROLE,
    })).configuredTableAssociation;
    customCta = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: customTable.id, name: 'orders_custom', roleArn: ROLE,
    })).configuredTableAssociation;

    const names = (await all(paginateListSchemas({ client: a }, { collaborationIdentifier: collab.id }), 'schemaSummaries'))
      .map((s) => s.name).sort();
    assert.deepEqual(names, ['Orders', 'orders_custom', 'orders_list']);
    const ls = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'orders_list' })).schema;
    assert.deepEqual(ls.analysisRuleTypes, ['LIST']);
    assert.deepEqual(ls.columns, ['id', 'name', 'region'].map((name) => ({ name, type: ORDERS_TYPES[name] })));
    assert.equal(ls.description, '');
    assert.deepEqual(ls.schemaStatusDetails.map((d) => [d.status, d.analysisRuleType]), [['READY', 'LIST']]);
    const cs = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'orders_custom' })).schema;
    assert.deepEqual(cs.analysisRuleTypes, ['CUSTOM']);
    assert.deepEqual(cs.schemaStatusDetails.map((d) => [d.status, d.analysisRuleType]), [['READY', 'CUSTOM']]);
    assert.deepEqual((await a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'orders_list', type: 'LIST' }))
      .analysisRule.policy, listPolicy);
    assert.deepEqual((await a.getSchemaAnalysisRule({
      collaborationIdentifier: collab.id, name: 'orders_custom', type: 'CUSTOM',
    })).analysisRule.policy, customPolicy);
    const batch = await a.batchGetSchema({ collaborationIdentifier: collab.id, names: ['orders_list', 'Orders', 'orders_custom'] });
    assert.deepEqual(batch.schemas.map((s) => s.name), ['orders_list', 'Orders', 'orders_custom']);
    assert.deepEqual(batch.errors, []);
    // duplicates are collapsed, found and missing alike
    const dup = await a.batchGetSchema({ collaborationIdentifier: collab.id, names: ['Orders', 'orders_list', 'Orders', 'gone', 'gone'] });
    assert.deepEqual(dup.schemas.map((s) => s.name), ['Orders', 'orders_list']);
    assert.deepEqual(dup.errors.map((e) => e.name), ['gone']);
  });

  step('a CUSTOM rule with no allowed analyses, or no rule at all → schema NOT_READY with the reason', async () => {
    assertOk(await b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: customTable.id, analysisRuleType: 'CUSTOM',
      analysisRulePolicy: { v1: { custom: { allowedAnalyses: [] } } },
    }));
    let st = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'orders_custom' })).schema.schemaStatusDetails;
    assert.equal(st.length, 1);
    assert.equal(st[0].status, 'NOT_READY');
    assert.deepEqual(st[0].reasons.map((r) => r.code), ['ANALYSIS_TEMPLATES_NOT_CONFIGURED']);
    assertOk(await b.deleteConfiguredTableAnalysisRule({ configuredTableIdentifier: customTable.id, analysisRuleType: 'CUSTOM' }),
      204);
    const s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'orders_custom' })).schema;
    assert.deepEqual(s.analysisRuleTypes, []);
    st = s.schemaStatusDetails;
    assert.equal(st.length, 1);
    assert.equal(st[0].status, 'NOT_READY');
    assert.equal(st[0].analysisRuleType, undefined);
    assert.deepEqual(st[0].reasons.map((r) => r.code), ['ANALYSIS_RULE_MISSING']);
    for (const r of st[0].reasons) assert.equal(typeof r.message, 'string');
    assert.deepEqual((await b.getConfiguredTable({ configuredTableIdentifier: customTable.id })).configuredTable.analysisRuleTypes,
      []);
    await expectError(a.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'orders_custom', type: 'CUSTOM' }),
      'ResourceNotFoundException', 404);
  });

  step('a sidecar with types and partition keys: columns and partitionKeys of the schema', async () => {
    writeCatalogCsv(db, 'events', [['dt', 'user_id', 'amount', 'note'], ['2024-01-01', '7', '1.50', 'x']], {
      columns: [{ name: 'user_id', type: 'bigint' }, { name: 'amount', type: 'decimal(10,2)' }, { name: 'note', type: 'string' }],
      partitionKeys: [{ name: 'dt', type: 'date' }],
    });
    partTable = assertOk(await b.createConfiguredTable({
      name: 'events', tableReference: { glue: { databaseName: db, tableName: 'events' } },
      allowedColumns: ['dt', 'user_id', 'amount'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    assertOk(await b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: partTable.id, analysisRuleType: 'LIST',
      analysisRulePolicy: { v1: { list: { joinColumns: ['user_id'], listColumns: ['dt'] } } },
    }));
    partCta = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: partTable.id, name: 'events', roleArn: ROLE,
    })).configuredTableAssociation;
    const s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'events' })).schema;
    assert.deepEqual(s.columns, [{ name: 'user_id', type: 'bigint' }, { name: 'amount', type: 'decimal(10,2)' }]);
    assert.deepEqual(s.partitionKeys, [{ name: 'dt', type: 'date' }]);
  });

  step('the catalog is re-read when its files change', async () => {
    writeCatalogCsv(db, 'events', [['dt', 'user_id', 'amount', 'note'], ['2024-01-01', '7', '1.50', 'x']], {
      columns: [{ name: 'user_id', type: 'bigint' }, { name: 'amount', type: 'decimal(12,4)' }, { name: 'note', type: 'string' }],
      partitionKeys: [{ name: 'dt', type: 'date' }],
    });
    const s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'events' })).schema;
    assert.deepEqual(s.columns, [{ name: 'user_id', type: 'bigint' }, { name: 'amount', type: 'decimal(12,4)' }]);
  });

  step('ListConfiguredTables pages one by one with nextToken; only the caller\'s tables', async () => {
    const mine = [table.id, listTable.id, customTable.id, partTable.id];
    const ids = await pageByOne((p) => b.listConfiguredTables(p), 'configuredTableSummaries');
    assert.equal(new Set(ids).size, ids.length, `no duplicates across pages: ${ids}`);
    assert.deepEqual([...ids].sort(), [...mine].sort());
    // newest first (SPEC 2.5)
    assert.deepEqual(ids, [...mine].reverse());
    const summaries = await all(paginateListConfiguredTables({ client: b, pageSize: 3 }, {}), 'configuredTableSummaries');
    assert.deepEqual(summaries.map((s) => s.id), ids);
    const s = summaries.find((x) => x.id === table.id);
    assert.equal(s.arn, table.arn);
    assert.equal(s.name, 'orders renamed');
    assert.deepEqual(s.analysisRuleTypes, ['AGGREGATION']);
    assert.equal(s.analysisMethod, 'DIRECT_QUERY');
    assert.deepEqual(summaries.find((x) => x.id === customTable.id).analysisRuleTypes, []);
    assert.deepEqual(assertOk(await a.listConfiguredTables({})).configuredTableSummaries, []);
  });

  step('ListConfiguredTableAssociations pages one by one with nextToken', async () => {
    const mine = [cta.id, listCta.id, customCta.id, partCta.id];
    const ids = await pageByOne((p) => b.listConfiguredTableAssociations({ membershipIdentifier: memB.id, ...p }),
      'configuredTableAssociationSummaries');
    assert.equal(new Set(ids).size, ids.length, `no duplicates across pages: ${ids}`);
    assert.deepEqual([...ids].sort(), [...mine].sort());
    const summaries = await all(paginateListConfiguredTableAssociations({ client: b, pageSize: 2 },
      { membershipIdentifier: memB.id }), 'configuredTableAssociationSummaries');
    assert.deepEqual(summaries.map((s) => s.id), ids);
    const s = summaries.find((x) => x.id === cta.id);
    assert.equal(s.arn, cta.arn);
    assert.equal(s.name, 'Orders');
    assert.equal(s.configuredTableId, table.id);
    assert.equal(s.membershipId, memB.id);
    assert.equal(s.membershipArn, memB.arn);
    // A's membership has none; A cannot list B's
    assert.deepEqual(assertOk(await a.listConfiguredTableAssociations({ membershipIdentifier: memA.id }))
      .configuredTableAssociationSummaries, []);
    await expectError(a.listConfiguredTableAssociations({ membershipIdentifier: memB.id }), 'ResourceNotFoundException', 404);
  });

  step('ListSchemas pages one by one with nextToken', async () => {
    const names = [];
    let nextToken;
    do {
      const resp = assertOk(await a.listSchemas({ collaborationIdentifier: collab.id, maxResults: 1, nextToken }));
      assert.equal(resp.schemaSummaries.length, 1);
      names.push(resp.schemaSummaries[0].name);
      nextToken = resp.nextToken;
    } while (nextToken !== undefined && names.length < 50);
    assert.deepEqual([...names].sort(), ['Orders', 'events', 'orders_custom', 'orders_list']);
    // the same through the SDK paginator, with a filter
    const paged = await all(paginateListSchemas({ client: b, pageSize: 3 }, { collaborationIdentifier: collab.id, schemaType: 'TABLE' }),
      'schemaSummaries');
    assert.deepEqual(paged.map((s) => s.name), names);
    // a token only works where it was issued (SPEC 2.5)
    const first = await a.listSchemas({ collaborationIdentifier: collab.id, maxResults: 1 });
    await expectValidation(a.listSchemas({ collaborationIdentifier: collab.id, schemaType: 'TABLE', nextToken: first.nextToken }),
      'FIELD_VALIDATION_FAILED', ['nextToken']);
    await expectValidation(b.listConfiguredTables({ nextToken: first.nextToken }), 'FIELD_VALIDATION_FAILED', ['nextToken']);
    const ctaPage = await b.listConfiguredTableAssociations({ membershipIdentifier: memB.id, maxResults: 1 });
    await expectValidation(b.listConfiguredTables({ nextToken: ctaPage.nextToken }), 'FIELD_VALIDATION_FAILED', ['nextToken']);
    await expectValidation(a.listConfiguredTableAssociations({ membershipIdentifier: memA.id, nextToken: ctaPage.nextToken }),
      'FIELD_VALIDATION_FAILED', ['nextToken']);
  });

  step('deleting an associated configured table → ConflictException; the table stays', async () => {
    const err = await expectError(b.deleteConfiguredTable({ configuredTableIdentifier: table.id }), 'ConflictException', 409);
    assert.equal(err.reason, 'SUBRESOURCES_EXIST');
    assert.equal(err.resourceType, 'CONFIGURED_TABLE');
    assert.equal(err.resourceId, table.id);
    assert.equal((await b.getConfiguredTable({ configuredTableIdentifier: table.id })).configuredTable.id, table.id);
    assert.equal((await b.getConfiguredTableAnalysisRule({ configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION' }))
      .analysisRule.configuredTableId, table.id);
    assert.equal((await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema.name, 'Orders');
  });

  step('delete the association, then the table: both succeed and the schema is gone', async () => {
    assertOk(await b.deleteConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    }), 204);
    await expectError(b.getConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    }), 'ResourceNotFoundException', 404);
    const err = await expectError(a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' }),
      'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    const names = (await a.listSchemas({ collaborationIdentifier: collab.id })).schemaSummaries.map((s) => s.name).sort();
    assert.deepEqual(names, ['events', 'orders_custom', 'orders_list']);
    // its tags went with it
    await expectError(b.listTagsForResource({ resourceArn: cta.arn }), 'ResourceNotFoundException', 404);

    assertOk(await b.deleteConfiguredTable({ configuredTableIdentifier: table.id }), 204);
    await expectError(b.getConfiguredTable({ configuredTableIdentifier: table.id }), 'ResourceNotFoundException', 404);
    await expectError(b.getConfiguredTableAnalysisRule({ configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION' }),
      'ResourceNotFoundException', 404);
    await expectError(b.deleteConfiguredTable({ configuredTableIdentifier: table.id }), 'ResourceNotFoundException', 404);
    await expectError(b.listTagsForResource({ resourceArn: table.arn }), 'ResourceNotFoundException', 404);
    assert.ok(!(await all(paginateListConfiguredTables({ client: b }, {}), 'configuredTableSummaries'))
      .some((s) => s.id === table.id));
  });

  step('the name of a deleted association is free again', async () => {
    const t = assertOk(await b.createConfiguredTable({
      name: 'again', tableReference: { glue: { databaseName: db, tableName: 'orders' } },
      allowedColumns: ['id'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    const again = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: t.id, name: 'ORDERS', roleArn: ROLE,
    })).configuredTableAssociation;
    const s = (await a.getSchema({ collaborationIdentifier: collab.id, name: 'orders' })).schema;
    assert.equal(s.name, 'ORDERS');
    assert.equal(s.resourceArn, again.arn);
    assertOk(await b.deleteConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: again.id,
    }), 204);
    assertOk(await b.deleteConfiguredTable({ configuredTableIdentifier: t.id }), 204);
  });

  step('clean-up: every association, rule and table can be deleted; the collaboration too', async () => {
    for (const x of [listCta, customCta, partCta]) {
      assertOk(await b.deleteConfiguredTableAssociation({
        membershipIdentifier: memB.id, configuredTableAssociationIdentifier: x.id,
      }), 204);
    }
    assert.deepEqual((await a.listSchemas({ collaborationIdentifier: collab.id })).schemaSummaries, []);
    assertOk(await b.deleteConfiguredTableAnalysisRule({ configuredTableIdentifier: listTable.id, analysisRuleType: 'LIST' }),
      204);
    assert.deepEqual((await b.getConfiguredTable({ configuredTableIdentifier: listTable.id })).configuredTable.analysisRuleTypes,
      []);
    for (const t of [listTable, customTable, partTable]) {
      assertOk(await b.deleteConfiguredTable({ configuredTableIdentifier: t.id }), 204);
    }
    assert.deepEqual((await b.listConfiguredTables({})).configuredTableSummaries, []);
    assertOk(await b.deleteMembership({ membershipIdentifier: memB.id }), 204);
    assertOk(await a.deleteCollaboration({ collaborationIdentifier: collab.id }), 204);
  });
});
