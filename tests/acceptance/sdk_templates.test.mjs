// Analysis templates through the official JS SDK: the querier A publishes templates, the data
// provider B reads them collaboration-wide, C is removed mid-way. B's table carries a CUSTOM rule
// with differential privacy, so templates on it come back with `validations`, recomputed on
// every read as B changes the rule.
// Reference: shared/spec/SPEC.md sections 3.3, 13, 15, 17.4 and Appendix A.
// Needs CLEANROOMSD_DATA_DIR (the catalog is $CLEANROOMSD_DATA_DIR/catalog).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe } from 'node:test';
import {
  paginateListAnalysisTemplates, paginateListCollaborationAnalysisTemplates,
} from '@aws-sdk/client-cleanrooms';
import {
  REGION, UUID_RE, assertOk, assertTimestamp, clientFor, collaborationInput, expectError, expectValidation, member,
  membershipArn, newAccount, uniqueDatabase, writeCatalogCsv,
} from './helpers.mjs';
import { scenario } from './steps.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/cleanrooms-provider';
const JOB_ROLE = 'arn:aws:iam::123456789012:role/cleanrooms-jobs';
const COUNTS_SQL = 'SELECT region, COUNT(DISTINCT id) FROM orders WHERE amount > :min_amount GROUP BY region';

async function all(paginator, key) {
  const out = [];
  for await (const page of paginator) out.push(...page[key]);
  return out;
}

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const templateArn = (account, mid, id) => `arn:aws:cleanrooms:${REGION}:${account}:membership/${mid}/analysistemplate/${id}`;

// The one DIFFERENTIAL_PRIVACY validation entry of a template: its status and reason messages.
function validation(t) {
  assert.ok(Array.isArray(t.validations), `validations present in ${JSON.stringify(t)}`);
  assert.equal(t.validations.length, 1);
  const [v] = t.validations;
  assert.equal(v.type, 'DIFFERENTIAL_PRIVACY');
  for (const r of v.reasons ?? []) assert.equal(typeof r.message, 'string');
  return { status: v.status, reasons: (v.reasons ?? []).map((r) => r.message) };
}

describe('analysis templates: author A, reader B, removed member C', () => {
  const step = scenario();
  const [A, B, C, X] = [newAccount(), newAccount(), newAccount(), newAccount()];
  const [a, b, c, x] = [A, B, C, X].map((acct) => clientFor(acct));
  const db = uniqueDatabase('sdk_templates');
  let collab, memA, memB, memC;
  let table; // B's configured table, associated as "orders"
  let counts, star, spark, cTemplate;
  let otherCollab, otherTemplate;

  const dpPolicy = (dp = true) => ({
    v1: {
      custom: {
        allowedAnalyses: ['ANY_QUERY'],
        allowedAnalysisProviders: [A],
        ...(dp ? { differentialPrivacy: { columns: [{ name: 'id' }] } } : {}),
      },
    },
  });

  step('A creates the collaboration with B and C; everyone joins', async () => {
    collab = assertOk(await a.createCollaboration(collaborationInput({
      name: 'templates', creatorDisplayName: 'Alpha', creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
      members: [member(B, 'Bravo', []), member(C, 'Charlie', [])],
    }))).collaboration;
    memA = assertOk(await a.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    memB = assertOk(await b.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    memC = assertOk(await c.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    assert.deepEqual(assertOk(await a.listAnalysisTemplates({ membershipIdentifier: memA.id })).analysisTemplateSummaries, []);
    assert.deepEqual(assertOk(await b.listCollaborationAnalysisTemplates({ collaborationIdentifier: collab.id }))
      .collaborationAnalysisTemplateSummaries, []);
  });

  step('B contributes a catalog table with a differential-privacy CUSTOM rule as "orders"', async () => {
    writeCatalogCsv(db, 'orders', [['id', 'region', 'amount'], ['1', 'eu', '2.5'], ['2', 'us', '10']]);
    table = assertOk(await b.createConfiguredTable({
      name: 'orders', tableReference: { glue: { databaseName: db, tableName: 'orders' } },
      allowedColumns: ['id', 'region', 'amount'], analysisMethod: 'DIRECT_QUERY',
    })).configuredTable;
    assertOk(await b.createConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'CUSTOM', analysisRulePolicy: dpPolicy(),
    }));
    assertOk(await b.createConfiguredTableAssociation({
      membershipIdentifier: memB.id, configuredTableIdentifier: table.id, name: 'orders', roleArn: ROLE,
    }));
  });

  step('A creates a parameterised SQL template: shape, derived tables, tags, VALID', async () => {
    const resp = assertOk(await a.createAnalysisTemplate({
      membershipIdentifier: memA.id,
      name: 'counts by region',
      description: 'distinct customers per region',
      format: 'SQL',
      source: { text: COUNTS_SQL },
      analysisParameters: [{ name: 'min_amount', type: 'DECIMAL', defaultValue: '1.5' }],
      tags: { team: 'analytics' },
    }));
    counts = resp.analysisTemplate;
    assert.match(counts.id, UUID_RE);
    assert.equal(counts.arn, templateArn(A, memA.id, counts.id));
    assert.equal(counts.collaborationId, collab.id);
    assert.equal(counts.collaborationArn, collab.arn);
    assert.equal(counts.membershipId, memA.id);
    assert.equal(counts.membershipArn, membershipArn(A, memA.id));
    assert.equal(counts.name, 'counts by region');
    assert.equal(counts.description, 'distinct customers per region');
    assert.equal(counts.format, 'SQL');
    assert.deepEqual(counts.source, { text: COUNTS_SQL });
    assert.deepEqual(counts.schema, { referencedTables: ['orders'] });
    assert.deepEqual(counts.analysisParameters, [{ name: 'min_amount', type: 'DECIMAL', defaultValue: '1.5' }]);
    assert.equal(counts.sourceMetadata, undefined);
    assert.equal(counts.errorMessageConfiguration, undefined);
    assertTimestamp(counts.createTime, 'createTime');
    assert.equal(counts.updateTime.getTime(), counts.createTime.getTime());
    assert.deepEqual(validation(counts), { status: 'VALID', reasons: [] });

    const got = assertOk(await a.getAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: counts.id }));
    assert.deepEqual(got.analysisTemplate, counts);
    assert.deepEqual(assertOk(await a.listTagsForResource({ resourceArn: counts.arn })).tags, { team: 'analytics' });
  });

  step('a template breaking the DP query structure is INVALID, one reason per violation', async () => {
    star = assertOk(await a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'star', format: 'SQL',
      source: { text: 'SELECT *, ROW_NUMBER() OVER (ORDER BY id) FROM orders' },
    })).analysisTemplate;
    const v = validation(star);
    assert.equal(v.status, 'INVALID');
    assert.equal(v.reasons.length, 3, JSON.stringify(v.reasons));
    // a table not associated yet: nothing can be said
    const later = assertOk(await a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'later', format: 'SQL',
      source: { text: 'SELECT COUNT(*) FROM orders' }, schema: { referencedTables: ['orders', 'not_yet'] },
    })).analysisTemplate;
    assert.deepEqual(later.schema.referencedTables, ['orders', 'not_yet']);
    assert.equal(validation(later).status, 'UNABLE_TO_VALIDATE');
    assertOk(await a.deleteAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: later.id }), 204);
  });

  step('a PySpark template: artifacts, sourceMetadata hashes of the S3 locations, no validations', async () => {
    spark = assertOk(await a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'spark job', format: 'PYSPARK_1_0',
      source: {
        artifacts: {
          entryPoint: { location: { bucket: 'jobs-bucket', key: 'scripts/main.py' } },
          additionalArtifacts: [{ location: { bucket: 'jobs-bucket', key: 'lib/util.zip' } }],
          roleArn: JOB_ROLE,
        },
      },
      errorMessageConfiguration: { type: 'DETAILED' },
    })).analysisTemplate;
    assert.equal(spark.format, 'PYSPARK_1_0');
    assert.deepEqual(spark.source.artifacts.entryPoint, { location: { bucket: 'jobs-bucket', key: 'scripts/main.py' } });
    assert.equal(spark.source.artifacts.roleArn, JOB_ROLE);
    assert.deepEqual(spark.sourceMetadata, {
      artifacts: {
        entryPointHash: { sha256: sha256('s3://jobs-bucket/scripts/main.py') },
        additionalArtifactHashes: [{ sha256: sha256('s3://jobs-bucket/lib/util.zip') }],
      },
    });
    assert.deepEqual(spark.errorMessageConfiguration, { type: 'DETAILED' });
    assert.deepEqual(spark.schema, { referencedTables: [] });
    assert.equal(spark.validations, undefined);
  });

  step('ListAnalysisTemplates: the membership\'s summaries, newest first, one per page', async () => {
    const summaries = await all(paginateListAnalysisTemplates({ client: a }, { membershipIdentifier: memA.id }),
      'analysisTemplateSummaries');
    assert.deepEqual(summaries.map((s) => s.id), [spark.id, star.id, counts.id]);
    const s = summaries.find((t) => t.id === counts.id);
    assert.deepEqual(Object.keys(s).sort(), ['arn', 'collaborationArn', 'collaborationId', 'createTime', 'description', 'id',
      'membershipArn', 'membershipId', 'name', 'updateTime']);
    assert.equal(s.arn, counts.arn);
    let nextToken;
    const ids = [];
    do {
      const page = assertOk(await a.listAnalysisTemplates({ membershipIdentifier: memA.id, maxResults: 1, nextToken }));
      assert.equal(page.analysisTemplateSummaries.length, 1);
      ids.push(page.analysisTemplateSummaries[0].id);
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(ids, [spark.id, star.id, counts.id]);
    // B's membership has none, and A's membership is invisible to B
    assert.deepEqual((await b.listAnalysisTemplates({ membershipIdentifier: memB.id })).analysisTemplateSummaries, []);
    await expectError(b.listAnalysisTemplates({ membershipIdentifier: memA.id }), 'ResourceNotFoundException', 404);
  });

  step('B reads A\'s templates collaboration-wide: Get, List, BatchGet', async () => {
    const got = assertOk(await b.getCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArn: counts.arn,
    })).collaborationAnalysisTemplate;
    assert.equal(got.id, counts.id);
    assert.equal(got.arn, counts.arn);
    assert.equal(got.creatorAccountId, A);
    assert.equal(got.membershipId, undefined);
    assert.deepEqual(got.source, { text: COUNTS_SQL });
    assert.deepEqual(got.schema, counts.schema);
    assert.deepEqual(got.analysisParameters, counts.analysisParameters);
    assert.equal(got.createTime.getTime(), counts.createTime.getTime());
    assert.deepEqual(validation(got), { status: 'VALID', reasons: [] });

    const listed = await all(paginateListCollaborationAnalysisTemplates({ client: b }, { collaborationIdentifier: collab.id }),
      'collaborationAnalysisTemplateSummaries');
    assert.deepEqual(listed.map((s) => s.id), [spark.id, star.id, counts.id]);
    const s = listed.find((t) => t.id === counts.id);
    assert.deepEqual(Object.keys(s).sort(), ['arn', 'collaborationArn', 'collaborationId', 'createTime', 'creatorAccountId',
      'description', 'id', 'name', 'updateTime']);

    const unknown = templateArn(A, memA.id, '0f0f0f0f-0000-4000-8000-00000000000a');
    const batch = assertOk(await b.batchGetCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArns: [star.arn, unknown, counts.arn, star.arn, unknown],
    }));
    assert.deepEqual(batch.collaborationAnalysisTemplates.map((t) => t.id), [star.id, counts.id]);
    assert.equal(validation(batch.collaborationAnalysisTemplates[0]).status, 'INVALID');
    assert.equal(batch.errors.length, 1);
    assert.equal(batch.errors[0].arn, unknown);
    assert.equal(batch.errors[0].code, 'ResourceNotFoundException');
    assert.equal(typeof batch.errors[0].message, 'string');
  });

  step('validations follow B\'s rule: dropping DP removes them, restoring it brings them back', async () => {
    assertOk(await b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'CUSTOM', analysisRulePolicy: dpPolicy(false),
    }));
    const plain = (await a.getAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: star.id }))
      .analysisTemplate;
    assert.equal(plain.validations, undefined);
    const viaB = (await b.getCollaborationAnalysisTemplate({ collaborationIdentifier: collab.id, analysisTemplateArn: star.arn }))
      .collaborationAnalysisTemplate;
    assert.equal(viaB.validations, undefined);
    assertOk(await b.updateConfiguredTableAnalysisRule({
      configuredTableIdentifier: table.id, analysisRuleType: 'CUSTOM', analysisRulePolicy: dpPolicy(true),
    }));
    const again = (await a.getAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: star.id }))
      .analysisTemplate;
    assert.equal(validation(again).status, 'INVALID');
  });

  step('UpdateAnalysisTemplate changes the description only; no description is a no-op', async () => {
    const updated = assertOk(await a.updateAnalysisTemplate({
      membershipIdentifier: memA.id, analysisTemplateIdentifier: counts.id, description: 'refreshed',
    })).analysisTemplate;
    assert.equal(updated.description, 'refreshed');
    assert.ok(updated.updateTime.getTime() >= counts.createTime.getTime());
    assert.equal(updated.createTime.getTime(), counts.createTime.getTime());
    assert.deepEqual(updated.source, counts.source);
    assert.equal(validation(updated).status, 'VALID');
    const same = assertOk(await a.updateAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: counts.id }))
      .analysisTemplate;
    assert.deepEqual(same, updated);
    assert.equal((await b.getCollaborationAnalysisTemplate({ collaborationIdentifier: collab.id, analysisTemplateArn: counts.arn }))
      .collaborationAnalysisTemplate.description, 'refreshed');
    counts = updated;
    await expectError(b.updateAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: counts.id, description: 'x' }),
      'ResourceNotFoundException', 404);
    await expectError(a.updateAnalysisTemplate({
      membershipIdentifier: memA.id, analysisTemplateIdentifier: '0f0f0f0f-0000-4000-8000-00000000000b', description: 'x',
    }), 'ResourceNotFoundException', 404);
  });

  step('tags on the template ARN: owner only', async () => {
    assertOk(await a.tagResource({ resourceArn: counts.arn, tags: { stage: 'prod' } }));
    assert.deepEqual((await a.listTagsForResource({ resourceArn: counts.arn })).tags, { team: 'analytics', stage: 'prod' });
    assertOk(await a.untagResource({ resourceArn: counts.arn, tagKeys: ['team'] }));
    assert.deepEqual((await a.listTagsForResource({ resourceArn: counts.arn })).tags, { stage: 'prod' });
    const err = await expectError(b.listTagsForResource({ resourceArn: counts.arn }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'MEMBERSHIP');
  });

  step('shape errors: one ValidationException listing every bad field', async () => {
    const err = await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'bad name!', format: 'SQL', source: { text: 'SELECT 1' },
      analysisParameters: [{ name: 'bad-name', type: 'VARCHAR' }, { name: 'p', type: 'UUID' }],
      schema: { referencedTables: ['ok', 'not--ok'] },
    }), 'FIELD_VALIDATION_FAILED', ['name', 'analysisParameters.0.name', 'analysisParameters.1.type',
      'schema.referencedTables.1']);
    assert.equal(err.fieldList.length, 4, JSON.stringify(err.fieldList));
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: {},
    }), 'FIELD_VALIDATION_FAILED', ['source']);
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL',
      source: { text: 'SELECT 1', artifacts: { entryPoint: { location: { bucket: 'abc', key: 'k' } }, roleArn: JOB_ROLE } },
    }), 'FIELD_VALIDATION_FAILED', ['source']);
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'PYSPARK_1_0',
      source: { artifacts: { entryPoint: { location: { bucket: 'Bad_Bucket', key: 'a b' } }, roleArn: 'arn:aws:iam::1:user/x' } },
    }), 'FIELD_VALIDATION_FAILED', ['source.artifacts.entryPoint.location.bucket', 'source.artifacts.entryPoint.location.key',
      'source.artifacts.roleArn']);
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: { text: 'x'.repeat(500_001) },
    }), 'FIELD_VALIDATION_FAILED', ['source.text']);
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'R', source: { text: 'SELECT 1' },
    }), 'FIELD_VALIDATION_FAILED', ['format']);
    await expectValidation(b.batchGetCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArns: Array(11).fill(counts.arn),
    }), 'FIELD_VALIDATION_FAILED', ['analysisTemplateArns']);
    await expectValidation(b.batchGetCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArns: [counts.arn, 'arn:aws:cleanrooms:us-east-1:1:x'],
    }), 'FIELD_VALIDATION_FAILED', ['analysisTemplateArns.1']);
    await expectValidation(b.getCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArn: counts.arn.replace(':membership/', ':membersheep/'),
    }), 'FIELD_VALIDATION_FAILED', ['analysisTemplateArn']);
  });

  step('semantic errors: parameters, format and source, synthetic data', async () => {
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders' },
      analysisParameters: [{ name: 'unused', type: 'INTEGER' }],
    }), 'INVALID_QUERY');
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders WHERE id = :id' },
    }), 'INVALID_QUERY');
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders WHERE id = :id' },
      analysisParameters: [{ name: 'id', type: 'INTEGER', defaultValue: 'seven' }],
    }), 'INVALID_QUERY');
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL',
      source: { artifacts: { entryPoint: { location: { bucket: 'jobs-bucket', key: 'main.py' } }, roleArn: JOB_ROLE } },
    }), 'INVALID_CONFIGURATION');
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'PYSPARK_1_0', source: { text: 'SELECT 1' },
    }), 'INVALID_CONFIGURATION');
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders' },
      errorMessageConfiguration: { type: 'DETAILED' },
    }), 'INVALID_CONFIGURATION');
    await expectValidation(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'x', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders' },
      syntheticDataParameters: {
        mlSyntheticDataParameters: {
          epsilon: 1, maxMembershipInferenceAttackScore: 0.9,
          columnClassification: { columnMapping: [{ columnName: 'id', columnType: 'CATEGORICAL', isPredictiveValue: true }] },
        },
      },
    }), 'INVALID_CONFIGURATION');
  });

  step('a duplicate name is 409; a foreign membership 404; a removed member 403', async () => {
    const dup = await expectError(a.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'counts by region', format: 'SQL', source: { text: 'SELECT SUM(amount) FROM orders' },
    }), 'ConflictException', 409);
    assert.equal(dup.reason, 'ALREADY_EXISTS');
    assert.equal(dup.resourceType, 'MEMBERSHIP');
    const nf = await expectError(b.createAnalysisTemplate({
      membershipIdentifier: memA.id, name: 'sneaky', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders' },
    }), 'ResourceNotFoundException', 404);
    assert.equal(nf.resourceType, 'MEMBERSHIP');
    assert.equal(nf.resourceId, memA.id);
    await expectError(b.getAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: counts.id }),
      'ResourceNotFoundException', 404);
    await expectError(b.getAnalysisTemplate({ membershipIdentifier: memB.id, analysisTemplateIdentifier: counts.id }),
      'ResourceNotFoundException', 404);

    // C publishes, then A removes C from the collaboration
    cTemplate = assertOk(await c.createAnalysisTemplate({
      membershipIdentifier: memC.id, name: 'c view', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders' },
    })).analysisTemplate;
    assert.ok((await b.listCollaborationAnalysisTemplates({ collaborationIdentifier: collab.id }))
      .collaborationAnalysisTemplateSummaries.some((s) => s.id === cTemplate.id));
    assertOk(await a.deleteMember({ collaborationIdentifier: collab.id, accountId: C }), 204);
    await expectError(c.createAnalysisTemplate({
      membershipIdentifier: memC.id, name: 'too late', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM orders' },
    }), 'AccessDeniedException', 403);
    await expectError(c.updateAnalysisTemplate({
      membershipIdentifier: memC.id, analysisTemplateIdentifier: cTemplate.id, description: 'x',
    }), 'AccessDeniedException', 403);
    // its templates leave the collaboration's view
    assert.ok(!(await b.listCollaborationAnalysisTemplates({ collaborationIdentifier: collab.id }))
      .collaborationAnalysisTemplateSummaries.some((s) => s.id === cTemplate.id));
    const gone = await expectError(b.getCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArn: cTemplate.arn,
    }), 'ResourceNotFoundException', 404);
    assert.equal(gone.resourceType, 'COLLABORATION');
    assert.equal(gone.resourceId, cTemplate.arn);
    // C itself still reads and deletes it, and then leaves
    assert.equal((await c.getAnalysisTemplate({ membershipIdentifier: memC.id, analysisTemplateIdentifier: cTemplate.id }))
      .analysisTemplate.id, cTemplate.id);
    assert.equal((await c.listAnalysisTemplates({ membershipIdentifier: memC.id })).analysisTemplateSummaries.length, 1);
    await expectError(c.deleteMembership({ membershipIdentifier: memC.id }), 'ConflictException', 409);
    assertOk(await c.deleteAnalysisTemplate({ membershipIdentifier: memC.id, analysisTemplateIdentifier: cTemplate.id }), 204);
    assertOk(await c.deleteMembership({ membershipIdentifier: memC.id }), 204);
    // and the collaboration is closed to it
    await expectError(c.listCollaborationAnalysisTemplates({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
  });

  step('collaboration-addressed reads: outsiders 403; an ARN of another collaboration 404', async () => {
    await expectError(x.getCollaborationAnalysisTemplate({ collaborationIdentifier: collab.id, analysisTemplateArn: counts.arn }),
      'AccessDeniedException', 403);
    await expectError(x.listCollaborationAnalysisTemplates({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(x.batchGetCollaborationAnalysisTemplate({ collaborationIdentifier: collab.id, analysisTemplateArns: [counts.arn] }),
      'AccessDeniedException', 403);
    await expectError(x.getCollaborationAnalysisTemplate({
      collaborationIdentifier: '0f0f0f0f-0000-4000-8000-00000000000c', analysisTemplateArn: counts.arn,
    }), 'AccessDeniedException', 403);

    otherCollab = assertOk(await a.createCollaboration(collaborationInput({
      name: 'other', creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'], members: [member(B, 'Bravo', [])],
    }))).collaboration;
    const otherMem = assertOk(await a.createMembership({ collaborationIdentifier: otherCollab.id, queryLogStatus: 'DISABLED' }))
      .membership;
    otherTemplate = assertOk(await a.createAnalysisTemplate({
      membershipIdentifier: otherMem.id, name: 'counts by region', format: 'SQL', source: { text: 'SELECT COUNT(*) FROM t' },
    })).analysisTemplate; // the same name is fine in another membership
    const err = await expectError(b.getCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArn: otherTemplate.arn,
    }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'COLLABORATION');
    assert.equal(err.resourceId, otherTemplate.arn);
    // the template exists, but B has not joined the other collaboration: 403 there
    await expectError(b.getCollaborationAnalysisTemplate({
      collaborationIdentifier: otherCollab.id, analysisTemplateArn: otherTemplate.arn,
    }), 'AccessDeniedException', 403);
    assert.equal((await a.getCollaborationAnalysisTemplate({
      collaborationIdentifier: otherCollab.id, analysisTemplateArn: otherTemplate.arn,
    })).collaborationAnalysisTemplate.id, otherTemplate.id);
    const batch = await b.batchGetCollaborationAnalysisTemplate({
      collaborationIdentifier: collab.id, analysisTemplateArns: [otherTemplate.arn, counts.arn],
    });
    assert.deepEqual(batch.collaborationAnalysisTemplates.map((t) => t.id), [counts.id]);
    assert.deepEqual(batch.errors.map((e) => e.arn), [otherTemplate.arn]);
  });

  step('DeleteAnalysisTemplate: 204, then gone everywhere; again 404', async () => {
    assertOk(await a.deleteAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: star.id }), 204);
    await expectError(a.getAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: star.id }),
      'ResourceNotFoundException', 404);
    await expectError(b.getCollaborationAnalysisTemplate({ collaborationIdentifier: collab.id, analysisTemplateArn: star.arn }),
      'ResourceNotFoundException', 404);
    await expectError(a.deleteAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: star.id }),
      'ResourceNotFoundException', 404);
    await expectError(a.listTagsForResource({ resourceArn: star.arn }), 'ResourceNotFoundException', 404);
    const listed = (await b.listCollaborationAnalysisTemplates({ collaborationIdentifier: collab.id }))
      .collaborationAnalysisTemplateSummaries.map((s) => s.id);
    assert.deepEqual(listed, [spark.id, counts.id]);
    // A's membership cannot be deleted while it holds templates (A is the creator anyway)
    for (const t of [spark, counts])
      assertOk(await a.deleteAnalysisTemplate({ membershipIdentifier: memA.id, analysisTemplateIdentifier: t.id }), 204);
    assert.deepEqual((await a.listAnalysisTemplates({ membershipIdentifier: memA.id })).analysisTemplateSummaries, []);
  });
});
