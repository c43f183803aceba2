// Rejected requests on configured tables, analysis rules, associations and schemas through the
// official JS SDK, and proof that each rejected write changed nothing.
// Reference: shared/spec/SPEC.md sections 3.3, 7 (DeleteMembership), 6 (DeleteMember), 8-11, 17.
// Needs CLEANROOMSD_DATA_DIR (the catalog is $CLEANROOMSD_DATA_DIR/catalog).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertOk, clientFor, collaborationInput, expectError, expectValidation, member, newAccount, uniqueDatabase,
  writeCatalogCsv,
} from './helpers.mjs';
import { scenario } from './steps.mjs';

const CONFIG = 'INVALID_CONFIGURATION';
const ROLE = 'arn:aws:iam::123456789012:role/cleanrooms-provider';
const aggregation = (overrides = {}) => ({
  aggregateColumns: [{ columnNames: ['amount'], function: 'SUM' }],
  joinColumns: ['id'],
  dimensionColumns: ['region'],
  scalarFunctions: [],
  outputConstraints: [{ columnName: 'id', minimum: 2, type: 'COUNT_DISTINCT' }],
  ...overrides,
});

describe('configured table, association and schema errors: creator A, provider B, invitee C, stranger D', () => {
  const step = scenario();
  const [A, B, C, D] = [newAccount(), newAccount(), newAccount(), newAccount()];
  const [a, b, c, d] = [A, B, C, D].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_errors');
  const glue = (tableName = 'orders') => ({ glue: { databaseName: db, tableName } });
  let collab, memA, memB;
  let table, bare, cta, aTable, aCta;

  // Snapshot of everything B owns, compared after each rejected write.
  async function stateOfB() {
    const tables = (await b.listConfiguredTables({})).configuredTableSummaries;
    const details = [];
    for (const t of tables) {
      const got = (await b.getConfiguredTable({ configuredTableIdentifier: t.id })).configuredTable;
      const rules = [];
      for (const type of got.analysisRuleTypes) {
        rules.push((await b.getConfiguredTableAnalysisRule({ configuredTableIdentifier: t.id, analysisRuleType: type }))
          .analysisRule);
      }
      details.push({ got, rules });
    }
    const assocs = (await b.listConfiguredTableAssociations({ membershipIdentifier: memB.id }))
      .configuredTableAssociationSummaries;
    return { tables, details, assocs };
  }
  const schemasSeenByA = async () => (await a.listSchemas({ collaborationIdentifier: collab.id })).schemaSummaries;

  step('set-up: A creates (A queries and receives), B and C invited; A and B join; B contributes "Orders"', async () => {
    collab = assertOk(await a.createCollaboration(collaborationInput({
      name: 'table errors', creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
      members: [member(B, 'Bravo', []), member(C, 'Charlie', [])],
    }))).collaboration;
    memA = assertOk(await a.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    memB = assertOk(await b.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    writeCatalogCsv(db, 'orders', [['id', 'amount', 'region', 'secret'], ['1', '2.5', 'eu', 'x'], ['2', '3', 'us', 'y']]);
    table = assertOk(await b.createConfiguredTable({
      name: 'orders', tableReference: glue(), allowedColumns: ['id', 'amount', 'region'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    assertOk(await b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: aggregation() } },
    }));
    bare = assertOk(await b.createConfiguredTable({
      name: 'no rule yet', tableReference: glue(), allowedColumns: ['id', 'amount', 'region'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    cta = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: table.id, name: 'Orders', roleArn: ROLE,
    })).configuredTableAssociation;
    // A contributes a table of its own too
    aTable = assertOk(await a.createConfiguredTable({
      name: 'a table', tableReference: glue(), allowedColumns: ['id'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    aCta = assertOk(await a.createConfiguredTableAssociation({
      membershipIdentifier: memA.id, configuredTableIdentifier: aTable.id, name: 'a_ids', roleArn: ROLE,
    })).configuredTableAssociation;
    assert.deepEqual((await schemasSeenByA()).map((s) => s.name).sort(), ['Orders', 'a_ids']);
  });

  step('another account\'s configured table → 404 CONFIGURED_TABLE for every table and rule operation', async () => {
    const before = await stateOfB();
    const id = table.id;
    const calls = [
      () => a.getConfiguredTable({ configuredTableIdentifier: id }),
      () => a.updateConfiguredTable({ configuredTableIdentifier: id, name: 'stolen' }),
      () => a.deleteConfiguredTable({ configuredTableIdentifier: id }),
      () => a.createConfiguredTableAnalysisRule({
        configuredTableIdentifier: bare.id, analysisRuleType: 'AGGREGATION',
        analysisRulePolicy: { v1: { aggregation: aggregation() } },
      }),
      () => a.getConfiguredTableAnalysisRule({ configuredTableIdentifier: id, analysisRuleType: 'AGGREGATION' }),
      () => a.updateConfiguredTableAnalysisRule({
        configuredTableIdentifier: id, analysisRuleType: 'AGGREGATION',
        analysisRulePolicy: { v1: { aggregation: aggregation({ dimensionColumns: [] }) } },
      }),
      () => a.deleteConfiguredTableAnalysisRule({ configuredTableIdentifier: id, analysisRuleType: 'AGGREGATION' }),
    ];
    for (const [i, call] of calls.entries()) {
      const err = await expectError(call(), 'ResourceNotFoundException', 404);
      assert.equal(err.resourceType, 'CONFIGURED_TABLE', `call ${i}`);
      assert.equal(err.resourceId, i === 3 ? bare.id : id, `call ${i}`);
    }
    // an id nobody owns answers the same
    await expectError(b.getConfiguredTable({ configuredTableIdentifier: '0f0f0f0f-0000-4000-8000-00000000000a' }),
      'ResourceNotFoundException', 404);
    assert.deepEqual(await stateOfB(), before);
    assert.deepEqual((await a.listConfiguredTables({})).configuredTableSummaries.map((t) => t.id), [aTable.id]);
  });

  step('a column the catalog table does not have → ValidationException naming the column', async () => {
    const before = await stateOfB();
    let err = await expectValidation(b.createConfiguredTable({
      name: 'bad', tableReference: glue(), allowedColumns: ['id', 'no_such_column'], analysisMethod: 'DIRECT_QUERY',
    }), CONFIG);
    assert.match(err.message, /no_such_column/);
    err = await expectValidation(b.updateConfiguredTable({
      configuredTableIdentifier: bare.id, allowedColumns: ['id', 'amount', 'region', 'ghost_column'],
    }), CONFIG);
    assert.match(err.message, /ghost_column/);
    assert.deepEqual(await stateOfB(), before);
  });

  step('a rule naming a column outside allowedColumns → ValidationException; no rule is created', async () => {
    const before = await stateOfB();
    // "secret" is in the catalog but not allowed
    for (const policy of [
      aggregation({ dimensionColumns: ['secret'] }),
      aggregation({ aggregateColumns: [{ columnNames: ['secret'], function: 'COUNT' }] }),
      aggregation({ joinColumns: ['nope'] }),
      aggregation({ outputConstraints: [{ columnName: 'secret', minimum: 2, type: 'COUNT_DISTINCT' }] }),
    ]) {
      await expectValidation(b.createConfiguredTableAnalysisRule({
        configuredTableIdentifier: bare.id, analysisRuleType: 'AGGREGATION', analysisRulePolicy: { v1: { aggregation: policy } },
      }), CONFIG);
    }
    await expectValidation(b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: bare.id, analysisRuleType: 'LIST',
      analysisRulePolicy: { v1: { list: { joinColumns: ['id'], listColumns: ['secret'] } } },
    }), CONFIG);
    // join and dimension columns must not overlap (SPEC 17.2)
    await expectValidation(b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: bare.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: aggregation({ dimensionColumns: ['id'] }) } },
    }), CONFIG);
    // the same on update of an existing rule
    await expectValidation(b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { aggregation: aggregation({ dimensionColumns: ['secret'] }) } },
    }), CONFIG);
    assert.deepEqual(await stateOfB(), before);
    await expectError(b.getConfiguredTableAnalysisRule({ configuredTableIdentifier: bare.id, analysisRuleType: 'AGGREGATION' }),
      'ResourceNotFoundException', 404);
  });

  step('analysisRuleType that does not match the policy member → ValidationException', async () => {
    const before = await stateOfB();
    await expectValidation(b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: bare.id, analysisRuleType: 'LIST', analysisRulePolicy: { v1: { aggregation: aggregation() } },
    }), CONFIG);
    await expectValidation(b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: bare.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { list: { joinColumns: ['id'], listColumns: ['region'] } } },
    }), CONFIG);
    await expectValidation(b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: bare.id, analysisRuleType: 'CUSTOM',
      analysisRulePolicy: { v1: { list: { joinColumns: ['id'], listColumns: ['region'] } } },
    }), CONFIG);
    // a rule's type cannot change through Update
    await expectValidation(b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: { v1: { list: { joinColumns: ['id'], listColumns: ['region'] } } },
    }), CONFIG);
    assert.deepEqual(await stateOfB(), before);
  });

  step('a second analysis rule on a table → ConflictException; the first one is untouched', async () => {
    const before = await stateOfB();
    for (const [type, policy] of [
      ['AGGREGATION', { v1: { aggregation: aggregation({ dimensionColumns: [] }) } }],
      ['LIST', { v1: { list: { joinColumns: ['id'], listColumns: ['region'] } } }],
    ]) {
      const err = await expectError(b.createConfiguredTableAnalysisRule({
        configuredTableIdentifier: table.id, analysisRuleType: type, analysisRulePolicy: policy,
      }), 'ConflictException', 409);
      assert.equal(err.reason, 'ALREADY_EXISTS');
      assert.equal(err.resourceId, table.id);
    }
    // there is no LIST rule to update or delete
    await expectError(b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'LIST',
      analysisRulePolicy: { v1: { list: { joinColumns: ['id'], listColumns: ['region'] } } },
    }), 'ResourceNotFoundException', 404);
    await expectError(b.deleteConfiguredTableAnalysisRule({ configuredTableIdentifier: table.id, analysisRuleType: 'LIST' }),
      'ResourceNotFoundException', 404);
    assert.deepEqual(await stateOfB(), before);
  });

  step('UpdateConfiguredTable conflicting with the rule: dropping a rule column → 400, DIRECT_JOB → 409', async () => {
    const before = await stateOfB();
    await expectValidation(b.updateConfiguredTable({ configuredTableIdentifier: table.id, allowedColumns: ['id', 'amount'] }),
      CONFIG);
    await expectError(b.updateConfiguredTable({ configuredTableIdentifier: table.id, analysisMethod: 'DIRECT_JOB' }),
      'ConflictException', 409);
    assert.deepEqual(await stateOfB(), before);
  });

  step('an association name already used in the collaboration (any case, other member) → ConflictException', async () => {
    const before = await stateOfB();
    const schemas = await schemasSeenByA();
    const other = assertOk(await a.createConfiguredTable({
      name: 'another', tableReference: glue(), allowedColumns: ['id'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    for (const name of ['ORDERS', 'orders', 'Orders']) {
      const err = await expectError(a.createConfiguredTableAssociation({
        membershipIdentifier: memA.id, configuredTableIdentifier: other.id, name, roleArn: ROLE,
      }), 'ConflictException', 409);
      assert.equal(err.reason, 'ALREADY_EXISTS');
      assert.equal(err.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    }
    // B's own name clash, and B associating the same table twice
    await expectError(b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: bare.id, name: 'A_IDS', roleArn: ROLE,
    }), 'ConflictException', 409);
    await expectError(b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: table.id, name: 'orders_again', roleArn: ROLE,
    }), 'ConflictException', 409);
    assert.deepEqual(await stateOfB(), before);
    assert.deepEqual(await schemasSeenByA(), schemas);
    assert.deepEqual((await a.listConfiguredTableAssociations({ membershipIdentifier: memA.id }))
      .configuredTableAssociationSummaries.map((s) => s.id), [aCta.id]);
    assertOk(await a.deleteConfiguredTable({ configuredTableIdentifier: other.id }), 204);
  });

  step('associating a table one does not own → 404 CONFIGURED_TABLE', async () => {
    const before = await stateOfB();
    const schemas = await schemasSeenByA();
    const err = await expectError(a.createConfiguredTableAssociation({
      membershipIdentifier: memA.id, configuredTableIdentifier: bare.id, name: 'borrowed', roleArn: ROLE,
    }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'CONFIGURED_TABLE');
    assert.equal(err.resourceId, bare.id);
    assert.deepEqual(await stateOfB(), before);
    assert.deepEqual(await schemasSeenByA(), schemas);
    assert.deepEqual((await a.listConfiguredTableAssociations({ membershipIdentifier: memA.id }))
      .configuredTableAssociationSummaries.map((s) => s.id), [aCta.id]);
  });

  step('associating through another account\'s membership → 404 MEMBERSHIP', async () => {
    const before = await stateOfB();
    const schemas = await schemasSeenByA();
    const err = await expectError(b.createConfiguredTableAssociation({
      membershipIdentifier: memA.id, configuredTableIdentifier: bare.id, name: 'smuggled', roleArn: ROLE,
    }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.equal(err.resourceId, memA.id);
    assert.deepEqual(await stateOfB(), before);
    assert.deepEqual(await schemasSeenByA(), schemas);
    assert.deepEqual((await a.listConfiguredTableAssociations({ membershipIdentifier: memA.id }))
      .configuredTableAssociationSummaries.map((s) => s.id), [aCta.id]);
  });

  step('another member\'s association → 404 for Get/Update/Delete and its rules', async () => {
    const before = await stateOfB();
    const ids = { configuredTableAssociationIdentifier: cta.id };
    // through B's membership: the membership is not A's
    for (const call of [
      () => a.getConfiguredTableAssociation({ membershipIdentifier: memB.id, ...ids }),
      () => a.updateConfiguredTableAssociation({ membershipIdentifier: memB.id, ...ids, description: 'x' }),
      () => a.deleteConfiguredTableAssociation({ membershipIdentifier: memB.id, ...ids }),
      () => a.createConfiguredTableAssociationAnalysisRule({
        membershipIdentifier: memB.id, ...ids, analysisRuleType: 'AGGREGATION',
        analysisRulePolicy: { v1: { aggregation: { allowedResultReceivers: [A] } } },
      }),
    ]) {
      const err = await expectError(call(), 'ResourceNotFoundException', 404);
      assert.equal(err.resourceType, 'MEMBERSHIP');
    }
    // through A's own membership: the association is not in it
    for (const call of [
      () => a.getConfiguredTableAssociation({ membershipIdentifier: memA.id, ...ids }),
      () => a.updateConfiguredTableAssociation({ membershipIdentifier: memA.id, ...ids, description: 'x' }),
      () => a.deleteConfiguredTableAssociation({ membershipIdentifier: memA.id, ...ids }),
    ]) {
      const err = await expectError(call(), 'ResourceNotFoundException', 404);
      assert.equal(err.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    }
    assert.deepEqual(await stateOfB(), before);
  });

  step('a catalog table whose CSV is broken → ValidationException naming the problem; reads never fail', async () => {
    const before = await stateOfB();
    writeCatalogCsv(db, 'broken', [['id', '', 'x'], ['1', '2', '3']]);
    const err = await expectValidation(b.createConfiguredTable({
      name: 'broken', tableReference: glue('broken'), allowedColumns: ['id'], analysisMethod: 'DIRECT_QUERY',
    }), CONFIG);
    assert.match(err.message, /broken\.csv/);
    assert.deepEqual(await stateOfB(), before);
    // a table that breaks after it was associated: the schema is still served (200, not a 5xx)
    writeCatalogCsv(db, 'later', [['id', 'v'], ['1', '2']]);
    const t = assertOk(await b.createConfiguredTable({
      name: 'later', tableReference: glue('later'), allowedColumns: ['id', 'v'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    const x = assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: t.id, name: 'later', roleArn: ROLE,
    })).configuredTableAssociation;
    try {
      assert.deepEqual((await a.getSchema({ collaborationIdentifier: collab.id, name: 'later' })).schema.columns,
        [{ name: 'id', type: 'bigint' }, { name: 'v', type: 'bigint' }]);
      writeCatalogCsv(db, 'later', [['id', '', 'v'], ['1', '2', '3']]);
      const s = assertOk(await a.getSchema({ collaborationIdentifier: collab.id, name: 'later' })).schema;
      assert.deepEqual(s.columns.map((c) => c.name), ['id', 'v']);
      assertOk(await a.listSchemas({ collaborationIdentifier: collab.id }));
      assertOk(await a.batchGetSchema({ collaborationIdentifier: collab.id, names: ['later'] }));
    } finally {
      assertOk(await b.deleteConfiguredTableAssociation({
        membershipIdentifier: memB.id, configuredTableAssociationIdentifier: x.id,
      }), 204);
      assertOk(await b.deleteConfiguredTable({ configuredTableIdentifier: t.id }), 204);
    }
    assert.deepEqual(await stateOfB(), before);
  });

  step('concurrent associations under one name (any case, both members): exactly one wins', async () => {
    const schemas = await schemasSeenByA();
    const mk = (cl) => cl.createConfiguredTable({
      name: 'racer', tableReference: glue(), allowedColumns: ['id'], analysisMethod: 'DIRECT_QUERY',
    }).then((r) => r.configuredTable);
    const tables = [await mk(a), await mk(a), await mk(a), await mk(b), await mk(b), await mk(b)];
    const who = (t) => (t.arn.includes(`:${A}:`) ? [a, memA] : [b, memB]);
    const names = ['Race', 'RACE', 'race', 'rAce', 'racE', 'Race'];
    const results = await Promise.allSettled(tables.map((t, i) => {
      const [cl, mem] = who(t);
      return cl.createConfiguredTableAssociation({
        membershipIdentifier: mem.id, configuredTableIdentifier: t.id, name: names[i], roleArn: ROLE,
      });
    }));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1, `one association created: ${JSON.stringify(results.map((r) => r.status))}`);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      assert.equal(r.reason.name, 'ConflictException', r.reason.message);
    }
    const winner = won[0].value.configuredTableAssociation;
    const after = await schemasSeenByA();
    assert.equal(after.length, schemas.length + 1);
    assert.equal(after.filter((s) => s.name.toLowerCase() === 'race').length, 1);
    const owner = winner.membershipId === memA.id ? a : b;
    assertOk(await owner.deleteConfiguredTableAssociation({
      membershipIdentifier: winner.membershipId, configuredTableAssociationIdentifier: winner.id,
    }), 204);
    for (const t of tables) assertOk(await who(t)[0].deleteConfiguredTable({ configuredTableIdentifier: t.id }), 204);
    assert.deepEqual(await schemasSeenByA(), schemas);
  });

  step('an invited member that has not joined, and a stranger → AccessDeniedException on schemas', async () => {
    for (const cl of [c, d]) {
      await expectError(cl.listSchemas({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
      await expectError(cl.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' }), 'AccessDeniedException', 403);
      await expectError(cl.batchGetSchema({ collaborationIdentifier: collab.id, names: ['Orders'] }),
        'AccessDeniedException', 403);
      await expectError(cl.getSchemaAnalysisRule({ collaborationIdentifier: collab.id, name: 'Orders', type: 'AGGREGATION' }),
        'AccessDeniedException', 403);
      await expectError(cl.batchGetSchemaAnalysisRule({
        collaborationIdentifier: collab.id, schemaAnalysisRuleRequests: [{ name: 'Orders', type: 'AGGREGATION' }],
      }), 'AccessDeniedException', 403);
    }
    // an unknown collaboration is denied, not "not found" (SPEC 3.3)
    await expectError(a.listSchemas({ collaborationIdentifier: '0f0f0f0f-0000-4000-8000-00000000000a' }),
      'AccessDeniedException', 403);
  });

  step('GetSchema / GetSchemaAnalysisRule of a missing name → 404 naming it', async () => {
    let err = await expectError(a.getSchema({ collaborationIdentifier: collab.id, name: 'no_such_schema' }),
      'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
    assert.equal(err.resourceId, 'no_such_schema');
    err = await expectError(a.getSchema({ collaborationIdentifier: collab.id, name: 'with space' }),
      'ResourceNotFoundException', 404);
    assert.equal(err.resourceId, 'with space');
    err = await expectError(a.getSchemaAnalysisRule({
      collaborationIdentifier: collab.id, name: 'no_such_schema', type: 'AGGREGATION',
    }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'CONFIGURED_TABLE_ASSOCIATION');
  });

  step('DeleteMembership while the membership has an association → ConflictException; nothing changes', async () => {
    const err = await expectError(b.deleteMembership({ membershipIdentifier: memB.id }), 'ConflictException', 409);
    assert.equal(err.reason, 'SUBRESOURCES_EXIST');
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.equal((await b.getMembership({ membershipIdentifier: memB.id })).membership.status, 'ACTIVE');
    const members = (await a.listMembers({ collaborationIdentifier: collab.id })).memberSummaries;
    assert.equal(members.find((m) => m.accountId === B).status, 'ACTIVE');
    assert.deepEqual((await schemasSeenByA()).map((s) => s.name).sort(), ['Orders', 'a_ids']);
  });

  step('after the creator removes the provider, its schema leaves the collaboration', async () => {
    assertOk(await a.deleteMember({ collaborationIdentifier: collab.id, accountId: B }), 204);
    assert.deepEqual((await schemasSeenByA()).map((s) => s.name), ['a_ids']);
    await expectError(a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' }), 'ResourceNotFoundException', 404);
    const batch = await a.batchGetSchema({ collaborationIdentifier: collab.id, names: ['Orders', 'a_ids'] });
    assert.deepEqual(batch.schemas.map((s) => s.name), ['a_ids']);
    assert.deepEqual(batch.errors.map((e) => e.name), ['Orders']);
  });

  // Not a scenario step: a failure here must not skip the clean-up below.
  it('the removed provider\'s name is free again: no schema of that name exists any more', async () => {
    const t = assertOk(await a.createConfiguredTable({
      name: 'reuse', tableReference: glue(), allowedColumns: ['id'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    try {
      const reused = assertOk(await a.createConfiguredTableAssociation({
        membershipIdentifier: memA.id, configuredTableIdentifier: t.id, name: 'orders', roleArn: ROLE,
      })).configuredTableAssociation;
      assert.equal((await a.getSchema({ collaborationIdentifier: collab.id, name: 'Orders' })).schema.creatorAccountId, A);
      assertOk(await a.deleteConfiguredTableAssociation({
        membershipIdentifier: memA.id, configuredTableAssociationIdentifier: reused.id,
      }), 204);
    } finally {
      assertOk(await a.deleteConfiguredTable({ configuredTableIdentifier: t.id }), 204);
    }
  });

  step('the removed provider: no more schema reads or new associations, but it can clean up', async () => {
    assert.equal((await b.getMembership({ membershipIdentifier: memB.id })).membership.status, 'REMOVED');
    await expectError(b.listSchemas({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: bare.id, name: 'late', roleArn: ROLE,
    }), 'AccessDeniedException', 403);
    // the association still exists (in a REMOVED membership): the table cannot go yet
    await expectError(b.deleteConfiguredTable({ configuredTableIdentifier: table.id }), 'ConflictException', 409);
    // reading and deleting its own sub-resources is still allowed (SPEC 3.3)
    assert.equal((await b.getConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    })).configuredTableAssociation.id, cta.id);
    assertOk(await b.deleteConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableAssociationIdentifier: cta.id,
    }), 204);
    assertOk(await b.deleteMembership({ membershipIdentifier: memB.id }), 204);
    for (const t of [table, bare]) assertOk(await b.deleteConfiguredTable({ configuredTableIdentifier: t.id }), 204);
    assert.deepEqual((await b.listConfiguredTables({})).configuredTableSummaries, []);
  });

  step('clean-up of A', async () => {
    // the creator cannot leave by DeleteMembership while it owns an association either way
    await expectError(a.deleteMembership({ membershipIdentifier: memA.id }), 'ConflictException', 409);
    assertOk(await a.deleteConfiguredTableAssociation({
      membershipIdentifier: memA.id, configuredTableAssociationIdentifier: aCta.id,
    }), 204);
    assertOk(await a.deleteConfiguredTable({ configuredTableIdentifier: aTable.id }), 204);
    assertOk(await a.deleteCollaboration({ collaborationIdentifier: collab.id }), 204);
  });
});
