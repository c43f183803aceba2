// Authorization matrix: every operation of the route table (api/routes.cpp) run as each kind of
// caller, each outcome checked against SPEC.md 3.3 and the operation's own section; then the
// "no leaks" checks: lists, batch error entries, error messages and pagination tokens never hand
// one account another account's data.
//
// Callers (the columns of the table), relative to one collaboration C:
//   creator   C's creator, ACTIVE (joined), holds CAN_QUERY + CAN_RECEIVE_RESULTS
//   active    an ACTIVE member that may only receive results (CAN_RECEIVE_RESULTS)
//   invited   a member still INVITED (no membership)
//   removed   a member removed by the creator (its membership is REMOVED)
//   left      a member that left (deleted its membership; member status LEFT)
//   stranger  an account with no member record in C
//   other     a member of C that does not own the addressed resource (by default the creator
//             addressing the active member's membership, association, template, table)
// Membership-addressed rows address the caller's own membership (and its own sub-resource) when
// it has one, else the active member's; account-private resources (configured tables) are owned
// by every caller, so there only `other` addresses a foreign one. NA: the column does not apply.
//
// Rows that change who is what (joining, leaving, removing, deleting, change requests) each get a
// fresh collaboration; the other mutating rows act on fresh sub-resources or rewrite a resource
// with its own values, so that no row depends on another one having run (or not).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { assertOk, clientFor, collaborationInput, expectError, member, newAccount } from './helpers.mjs';

const ROLES = ['creator', 'active', 'invited', 'removed', 'left', 'stranger', 'other'];
const ACCOUNTS = ROLES.slice(0, 6);
const JOINS = ['creator', 'active', 'removed', 'left']; // roles that created a membership

const OK = 'OK';
const NA = null;
// Authorized, and the answer then depends on the resource's progress: cancelling a query is a
// success while it runs (or once CANCELLED) and a ConflictException once it ended otherwise.
const SETTLED = 'success or ConflictException 409';
const AD = ['AccessDeniedException', 403];
const CF = ['ConflictException', 409];
const NF = (resourceType) => ['ResourceNotFoundException', 404, resourceType];
const NF_M = NF('MEMBERSHIP');
const NF_CT = NF('CONFIGURED_TABLE');
const NF_CTA = NF('CONFIGURED_TABLE_ASSOCIATION');
const NF_C = NF('COLLABORATION');

const ROLE_ARN = 'arn:aws:iam::123456789012:role/authz-matrix';
const UNKNOWN = '00000000-0000-4000-8000-00000000a0a0';
const COLUMNS = ['id', 'amount', 'region'];
const AGGREGATION = {
  aggregateColumns: [{ columnNames: ['amount'], function: 'SUM' }, { columnNames: ['id'], function: 'COUNT_DISTINCT' }],
  joinColumns: ['id'],
  dimensionColumns: ['region'],
  scalarFunctions: ['ABS', 'ROUND'],
  outputConstraints: [{ columnName: 'id', minimum: 2, type: 'COUNT_DISTINCT' }],
};
const CTA_RULE = { v1: { aggregation: {} } };
const S3_OUTPUT = { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'authz-results' } } };

// --- fixtures -------------------------------------------------------------------------------------

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

async function newTable(w, role, rule = true) {
  const name = `ct_${role}_${w.tag}_${uniq()}`;
  w.names.ct[role].push(name);
  const t = assertOk(await w.cl[role].createConfiguredTable({
    name, tableReference: { glue: { databaseName: `db_${w.tag}`, tableName: name } }, allowedColumns: COLUMNS,
    analysisMethod: 'DIRECT_QUERY', tags: { kind: 'table' },
  })).configuredTable;
  if (rule) {
    assertOk(await w.cl[role].createConfiguredTableAnalysisRule({
      configuredTableIdentifier: t.id, analysisRuleType: 'AGGREGATION', analysisRulePolicy: { v1: { aggregation: AGGREGATION } },
    }));
  }
  return { id: t.id, arn: t.arn, name };
}

// A configured table of `role` associated through its membership (with an association rule).
async function newAssociation(w, role, { ctaRule = false } = {}) {
  const table = await newTable(w, role);
  const name = `cta_${role}_${w.tag}_${uniq()}`;
  w.names.cta[role].push(name);
  const a = assertOk(await w.cl[role].createConfiguredTableAssociation({
    membershipIdentifier: w.ms[role], configuredTableIdentifier: table.id, name, roleArn: `${ROLE_ARN}-${w.tag}`, tags: { kind: 'cta' },
  })).configuredTableAssociation;
  if (ctaRule) {
    assertOk(await w.cl[role].createConfiguredTableAssociationAnalysisRule({
      membershipIdentifier: w.ms[role], configuredTableAssociationIdentifier: a.id, analysisRuleType: 'AGGREGATION',
      analysisRulePolicy: CTA_RULE,
    }));
  }
  return { id: a.id, arn: a.arn, name, table };
}

async function newTemplate(w, role) {
  const name = `tpl_${role}_${w.tag}_${uniq()}`;
  w.names.tpl[role].push(name);
  const t = assertOk(await w.cl[role].createAnalysisTemplate({
    membershipIdentifier: w.ms[role], name, description: `about ${name}`, format: 'SQL',
    source: { text: `SELECT region, COUNT(DISTINCT id) FROM ${w.querySchema ?? 'nothing'} GROUP BY region` },
    tags: { kind: 'template' },
  })).analysisTemplate;
  return { id: t.id, arn: t.arn, name, description: t.description };
}

function addMemberChange(displayName = 'Newcomer') {
  return [{ specificationType: 'MEMBER', specification: { member: { accountId: newAccount(), memberAbilities: [], displayName } } }];
}

async function startQuery(w, resultConfiguration = S3_OUTPUT) {
  return assertOk(await w.cl.creator.startProtectedQuery({
    membershipIdentifier: w.ms.creator, type: 'SQL',
    sqlParameters: { queryString: `SELECT region, COUNT(DISTINCT id) AS n FROM ${w.querySchema} GROUP BY region` },
    resultConfiguration,
  })).protectedQuery;
}

// One collaboration with a member in every state. `full` adds the sub-resources the shared
// rows read: per joined role a configured table, association (with rule) and template; the
// removed member's spares (made before its removal, since a REMOVED membership cannot create);
// the active member's decoys (what calls that must fail address); change requests; queries.
async function buildWorld({ full, beforeExits }) {
  const w = { tag: randomBytes(3).toString('hex'), acct: {}, cl: {}, ms: {}, msArn: {} };
  w.names = { ct: {}, cta: {}, tpl: {}, display: {} };
  for (const r of ACCOUNTS) {
    w.acct[r] = newAccount();
    w.cl[r] = clientFor(w.acct[r]);
    for (const k of ['ct', 'cta', 'tpl']) w.names[k][r] = [];
    w.names.display[r] = `Display ${r} ${w.tag}`;
  }
  w.collabName = `Secret collaboration ${w.tag}`;
  w.collabDescription = `Secret description ${w.tag}`;
  const collab = assertOk(await w.cl.creator.createCollaboration(collaborationInput({
    name: w.collabName, description: w.collabDescription, creatorDisplayName: w.names.display.creator,
    creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
    members: ['active', 'invited', 'removed', 'left'].map((r) => member(w.acct[r], w.names.display[r], r === 'active' ? ['CAN_RECEIVE_RESULTS'] : [])),
    tags: { kind: 'collaboration' },
  }))).collaboration;
  w.cid = collab.id;
  w.collabArn = collab.arn;
  await Promise.all(JOINS.map(async (r) => {
    const m = assertOk(await w.cl[r].createMembership({
      collaborationIdentifier: w.cid, queryLogStatus: 'DISABLED', tags: { kind: 'membership' },
    })).membership;
    w.ms[r] = m.id;
    w.msArn[r] = m.arn;
  }));
  w.ct = {};
  w.cta = {};
  w.tpl = {};
  if (full) {
    await Promise.all(ACCOUNTS.map(async (r) => { w.ct[r] = await newTable(w, r); }));
    w.ct.decoy = await newTable(w, 'active');
    await Promise.all(['creator', 'active', 'removed'].map(async (r) => {
      w.cta[r] = await newAssociation(w, r, { ctaRule: true });
    }));
    w.querySchema = w.cta.active.name;
    const [decoy, rmNoRule, rmDel, rmRuleDel] = await Promise.all([
      newAssociation(w, 'active'), newAssociation(w, 'removed'), newAssociation(w, 'removed'),
      newAssociation(w, 'removed', { ctaRule: true }),
    ]);
    Object.assign(w.cta, { decoy, rmNoRule, rmDel, rmRuleDel });
    await Promise.all(['creator', 'active', 'removed'].map(async (r) => { w.tpl[r] = await newTemplate(w, r); }));
    w.tpl.decoy = await newTemplate(w, 'active');
    w.tpl.rmDel = await newTemplate(w, 'removed');
    w.tpl.rmKeep = await newTemplate(w, 'removed'); // so that the removed member always lists two
  }
  if (beforeExits) await beforeExits(w);
  // the left member leaves, the removed one is removed
  assertOk(await w.cl.left.deleteMembership({ membershipIdentifier: w.ms.left }), 204);
  assertOk(await w.cl.creator.deleteMember({ collaborationIdentifier: w.cid, accountId: w.acct.removed }), 204);
  if (full) {
    w.cr = [];
    for (let i = 0; i < 2; i++) {
      w.cr.push(assertOk(await w.cl.creator.createCollaborationChangeRequest({
        collaborationIdentifier: w.cid, changes: addMemberChange(),
      })).collaborationChangeRequest);
    }
    w.query = await startQuery(w);
    // a query whose results go to the active member, who may then read it (SPEC Q14)
    w.memberQuery = await startQuery(w, { outputConfiguration: { member: { accountId: w.acct.active } } });
  }
  return w;
}

// --- the table ------------------------------------------------------------------------------------

// Who calls, and whose resources it addresses. `other` is [caller, owner] (row.other overrides).
function who(row, role) {
  if (role === 'other') {
    const [caller, owner] = row.other ?? ['creator', 'active'];
    return { role, caller, owner };
  }
  return { role, caller: role, owner: role };
}
// The membership a caller addresses: its own (even deleted or REMOVED) when it joined, else the
// owner's, else the active member's.
const msOf = (w, r) => (r.role !== 'other' && JOINS.includes(r.caller) ? w.ms[r.caller] : w.ms[r.owner] ?? w.ms.active);
const msArnOf = (w, r) => (r.role !== 'other' && JOINS.includes(r.caller) ? w.msArn[r.caller] : w.msArn[r.owner] ?? w.msArn.active);
// A sub-resource (association, template) the caller addresses: its own, else the owner's.
const subOf = (w, map, r) => (r.role !== 'other' && map[r.caller] ? map[r.caller] : map[r.owner] ?? map.active);
const ctOf = (w, r) => w.ct[r.role === 'other' ? r.owner : r.caller];

// A fresh association (with `ctaRule`) for roles whose own membership is ACTIVE; the removed
// member gets its prepared spare; everyone else addresses the decoy.
async function freshCta(w, r, spare, ctaRule) {
  if (r.role !== 'other' && (r.caller === 'creator' || r.caller === 'active')) return newAssociation(w, r.caller, { ctaRule });
  if (r.role !== 'other' && r.caller === 'removed') return w.cta[spare];
  return w.cta.decoy;
}
async function freshTemplate(w, r) {
  if (r.role !== 'other' && (r.caller === 'creator' || r.caller === 'active')) return newTemplate(w, r.caller);
  if (r.role !== 'other' && r.caller === 'removed') return w.tpl.rmDel;
  return w.tpl.decoy;
}

const ctaInput = (w, r) => ({ membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: subOf(w, w.cta, r).id });
const tplInput = (w, r) => ({ membershipIdentifier: msOf(w, r), analysisTemplateIdentifier: subOf(w, w.tpl, r).id });

// Columns: creator, active, invited, removed, left, stranger, other.
const ROWS = [
  // collaborations and members (SPEC 6)
  { op: 'CreateCollaboration', in: (w, r) => collaborationInput({ name: `own ${r.caller}` }),
    x: [OK, OK, OK, OK, OK, OK, NA] },
  { op: 'GetCollaboration', in: (w) => ({ collaborationIdentifier: w.cid }), x: [OK, OK, OK, AD, AD, AD, NA] },
  { op: 'UpdateCollaboration', in: (w) => ({ collaborationIdentifier: w.cid, name: w.collabName, description: w.collabDescription }),
    x: [OK, AD, AD, AD, AD, AD, NA] },
  { op: 'DeleteCollaboration', fresh: true, in: (w) => ({ collaborationIdentifier: w.cid }), x: [OK, AD, AD, AD, AD, AD, NA] },
  { op: 'ListCollaborations', in: () => ({}), x: [OK, OK, OK, OK, OK, OK, NA] },
  { op: 'ListMembers', in: (w) => ({ collaborationIdentifier: w.cid }), x: [OK, OK, OK, AD, AD, AD, NA] },
  { op: 'DeleteMember', fresh: true, in: (w) => ({ collaborationIdentifier: w.cid, accountId: w.acct.active }),
    x: [OK, AD, AD, AD, AD, AD, NA] },
  // memberships (SPEC 7)
  { op: 'CreateMembership', fresh: true, in: (w) => ({ collaborationIdentifier: w.cid, queryLogStatus: 'DISABLED' }),
    x: [CF, CF, OK, AD, AD, AD, NA] },
  { op: 'GetMembership', in: (w, r) => ({ membershipIdentifier: msOf(w, r) }), x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'UpdateMembership', in: (w, r) => ({ membershipIdentifier: msOf(w, r), queryLogStatus: 'DISABLED' }),
    x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'DeleteMembership', fresh: true, in: (w, r) => ({ membershipIdentifier: msOf(w, r) }),
    x: [CF, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'ListMemberships', in: () => ({}), x: [OK, OK, OK, OK, OK, OK, NA] },
  // configured tables and their rules (SPEC 8, 9): account-private, every caller owns one
  { op: 'CreateConfiguredTable', in: (w, r) => ({
    name: `created_${w.tag}`, tableReference: { glue: { databaseName: 'authz', tableName: 'created' } }, allowedColumns: COLUMNS,
    analysisMethod: 'DIRECT_QUERY',
  }), x: [OK, OK, OK, OK, OK, OK, NA] },
  { op: 'GetConfiguredTable', in: (w, r) => ({ configuredTableIdentifier: ctOf(w, r).id }), x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  { op: 'UpdateConfiguredTable', in: (w, r) => ({ configuredTableIdentifier: ctOf(w, r).id, name: ctOf(w, r).name }),
    x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  { op: 'DeleteConfiguredTable', in: async (w, r) => ({
    configuredTableIdentifier: r.role === 'other' ? w.ct.decoy.id : (await newTable(w, r.caller, false)).id,
  }), x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  { op: 'ListConfiguredTables', in: () => ({}), x: [OK, OK, OK, OK, OK, OK, NA] },
  { op: 'CreateConfiguredTableAnalysisRule', in: async (w, r) => ({
    configuredTableIdentifier: r.role === 'other' ? w.ct.decoy.id : (await newTable(w, r.caller, false)).id,
    analysisRuleType: 'AGGREGATION', analysisRulePolicy: { v1: { aggregation: AGGREGATION } },
  }), x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  { op: 'GetConfiguredTableAnalysisRule', in: (w, r) => ({ configuredTableIdentifier: ctOf(w, r).id, analysisRuleType: 'AGGREGATION' }),
    x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  { op: 'UpdateConfiguredTableAnalysisRule', in: (w, r) => ({
    configuredTableIdentifier: ctOf(w, r).id, analysisRuleType: 'AGGREGATION', analysisRulePolicy: { v1: { aggregation: AGGREGATION } },
  }), x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  { op: 'DeleteConfiguredTableAnalysisRule', in: async (w, r) => ({
    configuredTableIdentifier: r.role === 'other' ? w.ct.decoy.id : (await newTable(w, r.caller)).id, analysisRuleType: 'AGGREGATION',
  }), x: [OK, OK, OK, OK, OK, OK, NF_CT] },
  // configured table associations (SPEC 10) and their rules (SPEC 21)
  { op: 'CreateConfiguredTableAssociation', in: async (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableIdentifier: (await newTable(w, r.caller)).id,
    name: `new_${r.role}_${uniq()}`, roleArn: ROLE_ARN,
  }), x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'CreateConfiguredTableAssociation', variant: 'with another account\'s configured table', in: (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableIdentifier: (r.caller === 'active' ? w.ct.creator : w.ct.active).id,
    name: `foreign_${r.role}_${uniq()}`, roleArn: ROLE_ARN,
  }), x: [NF_CT, NF_CT, NF_M, AD, NF_M, NF_M, NA] },
  { op: 'GetConfiguredTableAssociation', in: ctaInput, x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'GetConfiguredTableAssociation', variant: 'another member\'s association through the own membership', in: (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: (r.caller === 'active' ? w.cta.creator : w.cta.active).id,
  }), x: [NF_CTA, NF_CTA, NF_M, NF_CTA, NF_M, NF_M, NA] },
  { op: 'UpdateConfiguredTableAssociation', in: (w, r) => ({ ...ctaInput(w, r), roleArn: ROLE_ARN }),
    x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'UpdateConfiguredTableAssociation', variant: 'another member\'s association through the own membership', in: (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: (r.caller === 'active' ? w.cta.creator : w.cta.active).id,
    roleArn: ROLE_ARN,
  }), x: [NF_CTA, NF_CTA, NF_M, NF_CTA, NF_M, NF_M, NA] },
  { op: 'DeleteConfiguredTableAssociation', in: async (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: (await freshCta(w, r, 'rmDel', false)).id,
  }), x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'DeleteConfiguredTableAssociation', variant: 'another member\'s association through the own membership', in: (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: (r.caller === 'active' ? w.cta.creator : w.cta.decoy).id,
  }), x: [NF_CTA, NF_CTA, NF_M, NF_CTA, NF_M, NF_M, NA] },
  { op: 'ListConfiguredTableAssociations', in: (w, r) => ({ membershipIdentifier: msOf(w, r) }),
    x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'CreateConfiguredTableAssociationAnalysisRule', in: async (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: (await freshCta(w, r, 'rmNoRule', false)).id,
    analysisRuleType: 'AGGREGATION', analysisRulePolicy: CTA_RULE,
  }), x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'GetConfiguredTableAssociationAnalysisRule', in: (w, r) => ({ ...ctaInput(w, r), analysisRuleType: 'AGGREGATION' }),
    x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'UpdateConfiguredTableAssociationAnalysisRule', in: (w, r) => ({
    ...ctaInput(w, r), analysisRuleType: 'AGGREGATION', analysisRulePolicy: CTA_RULE,
  }), x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'DeleteConfiguredTableAssociationAnalysisRule', in: async (w, r) => ({
    membershipIdentifier: msOf(w, r), configuredTableAssociationIdentifier: (await freshCta(w, r, 'rmRuleDel', true)).id,
    analysisRuleType: 'AGGREGATION',
  }), x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  // schemas (SPEC 11): ACTIVE members only
  { op: 'ListSchemas', in: (w) => ({ collaborationIdentifier: w.cid }), x: [OK, OK, AD, AD, AD, AD, NA] },
  { op: 'GetSchema', in: (w) => ({ collaborationIdentifier: w.cid, name: w.cta.active.name }), x: [OK, OK, AD, AD, AD, AD, NA] },
  { op: 'BatchGetSchema', in: (w) => ({ collaborationIdentifier: w.cid, names: [w.cta.active.name] }),
    x: [OK, OK, AD, AD, AD, AD, NA] },
  { op: 'GetSchemaAnalysisRule', in: (w) => ({ collaborationIdentifier: w.cid, name: w.cta.active.name, type: 'AGGREGATION' }),
    x: [OK, OK, AD, AD, AD, AD, NA] },
  { op: 'BatchGetSchemaAnalysisRule', in: (w) => ({
    collaborationIdentifier: w.cid, schemaAnalysisRuleRequests: [{ name: w.cta.active.name, type: 'AGGREGATION' }],
  }), x: [OK, OK, AD, AD, AD, AD, NA] },
  // protected queries (SPEC 12): the creator is the querier; `other` is the active member
  // addressing the creator's membership
  { op: 'StartProtectedQuery', other: ['active', 'creator'], in: (w, r) => ({
    membershipIdentifier: msOf(w, r), type: 'SQL',
    sqlParameters: { queryString: `SELECT region, COUNT(DISTINCT id) AS n FROM ${w.querySchema} GROUP BY region` },
    resultConfiguration: S3_OUTPUT,
  }), x: [OK, AD, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'GetProtectedQuery', other: ['active', 'creator'], in: (w, r) => ({
    membershipIdentifier: msOf(w, r), protectedQueryIdentifier: w.query.id,
  }), x: [OK, NF_M, NF_M, NF_M, NF_M, NF_M, NF_M] },
  { op: 'GetProtectedQuery', variant: 'results go to the active member', other: ['active', 'creator'], in: (w, r) => ({
    membershipIdentifier: msOf(w, r), protectedQueryIdentifier: w.memberQuery.id,
  }), x: [OK, OK, NF_M, NF_M, NF_M, NF_M, NF_M] },
  { op: 'ListProtectedQueries', other: ['active', 'creator'], in: (w, r) => ({ membershipIdentifier: msOf(w, r) }),
    x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'UpdateProtectedQuery', other: ['active', 'creator'], in: (w, r) => ({
    membershipIdentifier: msOf(w, r), protectedQueryIdentifier: w.query.id, targetStatus: 'CANCELLED',
  }), x: [SETTLED, NF_M, NF_M, NF_M, NF_M, NF_M, NF_M] },
  // only the querier cancels, not the receiver
  { op: 'UpdateProtectedQuery', variant: 'results go to the active member', other: ['active', 'creator'], in: (w, r) => ({
    membershipIdentifier: msOf(w, r), protectedQueryIdentifier: w.memberQuery.id, targetStatus: 'CANCELLED',
  }), x: [SETTLED, NF_M, NF_M, NF_M, NF_M, NF_M, NF_M] },
  // analysis templates (SPEC 13)
  { op: 'CreateAnalysisTemplate', in: (w, r) => ({
    membershipIdentifier: msOf(w, r), name: `new_${r.role}_${uniq()}`, format: 'SQL',
    source: { text: `SELECT region, COUNT(DISTINCT id) FROM ${w.querySchema} GROUP BY region` },
  }), x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'GetAnalysisTemplate', in: tplInput, x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'GetAnalysisTemplate', variant: 'another member\'s template through the own membership', in: (w, r) => ({
    membershipIdentifier: msOf(w, r), analysisTemplateIdentifier: (r.caller === 'active' ? w.tpl.creator : w.tpl.active).id,
  }), x: [NF_M, NF_M, NF_M, NF_M, NF_M, NF_M, NA] },
  { op: 'UpdateAnalysisTemplate', in: (w, r) => ({ ...tplInput(w, r), description: subOf(w, w.tpl, r).description }),
    x: [OK, OK, NF_M, AD, NF_M, NF_M, NF_M] },
  { op: 'DeleteAnalysisTemplate', in: async (w, r) => ({
    membershipIdentifier: msOf(w, r), analysisTemplateIdentifier: (await freshTemplate(w, r)).id,
  }), x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'ListAnalysisTemplates', in: (w, r) => ({ membershipIdentifier: msOf(w, r) }), x: [OK, OK, NF_M, OK, NF_M, NF_M, NF_M] },
  { op: 'GetCollaborationAnalysisTemplate', in: (w) => ({ collaborationIdentifier: w.cid, analysisTemplateArn: w.tpl.active.arn }),
    x: [OK, OK, AD, AD, AD, AD, NA] },
  { op: 'ListCollaborationAnalysisTemplates', in: (w) => ({ collaborationIdentifier: w.cid }), x: [OK, OK, AD, AD, AD, AD, NA] },
  { op: 'BatchGetCollaborationAnalysisTemplate', in: (w) => ({ collaborationIdentifier: w.cid, analysisTemplateArns: [w.tpl.active.arn] }),
    x: [OK, OK, AD, AD, AD, AD, NA] },
  // change requests (SPEC 14)
  { op: 'CreateCollaborationChangeRequest', fresh: true, in: (w) => ({ collaborationIdentifier: w.cid, changes: addMemberChange() }),
    x: [OK, AD, AD, AD, AD, AD, NA] },
  { op: 'GetCollaborationChangeRequest', in: (w) => ({ collaborationIdentifier: w.cid, changeRequestIdentifier: w.cr[0].id }),
    x: [OK, OK, OK, AD, AD, AD, NA] },
  { op: 'ListCollaborationChangeRequests', in: (w) => ({ collaborationIdentifier: w.cid }), x: [OK, OK, OK, AD, AD, AD, NA] },
  ...['APPROVE', 'DENY', 'CANCEL', 'COMMIT'].map((action) => ({
    op: 'UpdateCollaborationChangeRequest', variant: action, fresh: true,
    prepare: async (w) => {
      w.pending = assertOk(await w.cl.creator.createCollaborationChangeRequest({
        collaborationIdentifier: w.cid, changes: addMemberChange(),
      })).collaborationChangeRequest;
      assert.equal(w.pending.status, 'PENDING');
      if (action === 'COMMIT') {
        assertOk(await w.cl.active.updateCollaborationChangeRequest({
          collaborationIdentifier: w.cid, changeRequestIdentifier: w.pending.id, action: 'APPROVE',
        }));
      }
    },
    in: (w) => ({ collaborationIdentifier: w.cid, changeRequestIdentifier: w.pending.id, action }),
    // votes belong to the ACTIVE members other than the creator; CANCEL and COMMIT to the creator
    x: action === 'APPROVE' || action === 'DENY' ? [AD, OK, AD, AD, AD, AD, NA] : [OK, AD, AD, AD, AD, AD, NA],
  })),
  // a request created while the removed and the left member were still ACTIVE: their votes are
  // dropped with them (SPEC 6 DeleteMember), they cannot vote any more
  { op: 'UpdateCollaborationChangeRequest', variant: 'APPROVE by voters that left or were removed since', fresh: true,
    beforeExits: async (w) => {
      w.pending = assertOk(await w.cl.creator.createCollaborationChangeRequest({
        collaborationIdentifier: w.cid, changes: addMemberChange(),
      })).collaborationChangeRequest;
      assert.deepEqual(Object.keys(w.pending.approvals).sort(), [w.acct.active, w.acct.removed, w.acct.left].sort());
    },
    in: (w) => ({ collaborationIdentifier: w.cid, changeRequestIdentifier: w.pending.id, action: 'APPROVE' }),
    x: [AD, OK, AD, AD, AD, AD, NA] },
  // tags (SPEC 15): only the ARN's owner; everything else is 404 (the only modeled error)
  ...[
    ['collaboration', (w) => w.collabArn, [OK, NF_C, NF_C, NF_C, NF_C, NF_C, NA]],
    ['membership', (w, r) => msArnOf(w, r), [OK, OK, NF_M, OK, NF_M, NF_M, NF_M]],
    ['configured table', (w, r) => ctOf(w, r).arn, [OK, OK, OK, OK, OK, OK, NF_CT]],
    ['association', (w, r) => subOf(w, w.cta, r).arn, [OK, OK, NF_CTA, OK, NF_CTA, NF_CTA, NF_CTA]],
    ['analysis template', (w, r) => subOf(w, w.tpl, r).arn, [OK, OK, NF_M, OK, NF_M, NF_M, NF_M]],
  ].flatMap(([kind, arn, x]) => [
    { op: 'TagResource', variant: kind, in: (w, r) => ({ resourceArn: arn(w, r), tags: { authz: 'matrix' } }), x },
    { op: 'UntagResource', variant: kind, in: (w, r) => ({ resourceArn: arn(w, r), tagKeys: ['not-there'] }), x },
    { op: 'ListTagsForResource', variant: kind, in: (w, r) => ({ resourceArn: arn(w, r) }), x },
  ]),
];

// Operations routed but not implemented: AccessDeniedException for everybody (SPEC 21).
const NOT_SUPPORTED = [
  'CreateConfiguredAudienceModelAssociation', 'CreateIdMappingTable', 'CreateIdNamespaceAssociation',
  'CreatePrivacyBudgetTemplate', 'DeleteConfiguredAudienceModelAssociation', 'DeleteIdMappingTable',
  'DeleteIdNamespaceAssociation', 'DeletePrivacyBudgetTemplate', 'GetCollaborationConfiguredAudienceModelAssociation',
  'GetCollaborationIdNamespaceAssociation', 'GetCollaborationPrivacyBudgetTemplate', 'GetConfiguredAudienceModelAssociation',
  'GetIdMappingTable', 'GetIdNamespaceAssociation', 'GetPrivacyBudgetTemplate', 'GetProtectedJob',
  'ListCollaborationConfiguredAudienceModelAssociations', 'ListCollaborationIdNamespaceAssociations',
  'ListCollaborationPrivacyBudgetTemplates', 'ListCollaborationPrivacyBudgets', 'ListConfiguredAudienceModelAssociations',
  'ListIdMappingTables', 'ListIdNamespaceAssociations', 'ListPrivacyBudgetTemplates', 'ListPrivacyBudgets',
  'ListProtectedJobs', 'PopulateIdMappingTable', 'PreviewPrivacyImpact', 'StartProtectedJob',
  'UpdateConfiguredAudienceModelAssociation', 'UpdateIdMappingTable', 'UpdateIdNamespaceAssociation',
  'UpdatePrivacyBudgetTemplate', 'UpdateProtectedJob',
];
for (const op of NOT_SUPPORTED) {
  ROWS.push({
    op, in: (w, r) => ({
      membershipIdentifier: msOf(w, r), collaborationIdentifier: w.cid, configuredAudienceModelAssociationIdentifier: UNKNOWN,
      idMappingTableIdentifier: UNKNOWN, idNamespaceAssociationIdentifier: UNKNOWN, privacyBudgetTemplateIdentifier: UNKNOWN,
      protectedJobIdentifier: UNKNOWN, privacyBudgetType: 'DIFFERENTIAL_PRIVACY',
    }),
    x: [AD, AD, AD, AD, AD, AD, AD],
  });
}

const method = (op) => op[0].toLowerCase() + op.slice(1);
const rowName = (row) => (row.variant ? `${row.op} (${row.variant})` : row.op);
const show = (e) => (e === OK || e === SETTLED ? e : `${e[0]} ${e[1]}${e[2] ? ` ${e[2]}` : ''}`);

// Strings `caller` has no business seeing in an error: other accounts' configured-table names
// (account-private, never shown to anybody else); for callers outside the collaboration also its
// name, description, display names and every other account's association and template names;
// for the stranger also the other accounts' ids. Whatever the request itself carried is fine.
function secretsFor(w, caller, input) {
  const out = [];
  for (const [r, names] of Object.entries(w.names.ct)) if (r !== caller) out.push(...names);
  if (!['creator', 'active', 'invited'].includes(caller)) {
    out.push(w.collabName, w.collabDescription);
    for (const [r, n] of Object.entries(w.names.display)) if (r !== caller) out.push(n);
    for (const k of ['cta', 'tpl']) for (const [r, names] of Object.entries(w.names[k])) if (r !== caller) out.push(...names);
  }
  if (caller === 'stranger') for (const [r, a] of Object.entries(w.acct)) if (r !== caller) out.push(a);
  const sent = JSON.stringify(input);
  return out.filter((s) => !sent.includes(s));
}

function errorText(e) {
  return JSON.stringify({ message: e.message, resourceId: e.resourceId, resourceType: e.resourceType, reason: e.reason,
    fieldList: e.fieldList, quotaName: e.quotaName });
}

function assertNoSecrets(text, secrets, what) {
  for (const s of secrets) assert.ok(!text.includes(s), `${what} reveals ${JSON.stringify(s)}: ${text}`);
}

let checks = 0; // calls made by the matrix, reported at the end

// Runs one row: every applicable role (the ones expected to fail first, so that a success that
// changes state cannot change the answer of another column). Returns the mismatches.
async function runRow(w, row) {
  if (row.prepare) await row.prepare(w);
  const cols = ROLES.map((role, i) => ({ role, want: row.x[i] })).filter((c) => c.want !== NA);
  const changes = (want) => want === OK || want === SETTLED;
  cols.sort((a, b) => changes(a.want) - changes(b.want));
  const problems = [];
  checks += cols.length;
  for (const { role, want } of cols) {
    const r = who(row, role);
    const input = await row.in(w, r);
    const fn = w.cl[r.caller][method(row.op)];
    assert.equal(typeof fn, 'function', `the SDK has ${method(row.op)}`);
    const got = await fn.call(w.cl[r.caller], input).then((v) => ({ ok: v }), (e) => ({ err: e }));
    const label = `${role}${role === 'other' ? ` (${r.caller} → ${r.owner}'s)` : ''}`;
    if (got.ok) {
      const status = got.ok.$metadata.httpStatusCode;
      const wantStatus = row.op.startsWith('Delete') ? 204 : 200;
      if (!changes(want)) problems.push(`${label}: expected ${show(want)}, got success (${status})`);
      else if (status !== wantStatus) problems.push(`${label}: expected HTTP ${wantStatus}, got ${status}`);
      continue;
    }
    const e = got.err;
    const seen = `${e.name} ${e.$metadata?.httpStatusCode}${e.resourceType ? ` ${e.resourceType}` : ''}`;
    if (want === SETTLED && e.name === 'ConflictException' && e.$metadata?.httpStatusCode === 409) continue;
    if (changes(want)) {
      problems.push(`${label}: expected success, got ${seen}: ${e.message}`);
      continue;
    }
    if (e.name !== want[0] || e.$metadata?.httpStatusCode !== want[1] || (want[2] && e.resourceType !== want[2])) {
      problems.push(`${label}: expected ${show(want)}, got ${seen}: ${e.message}`);
      continue;
    }
    if (!e.$metadata?.requestId) problems.push(`${label}: error without x-amzn-RequestId`);
    const text = errorText(e);
    for (const s of secretsFor(w, r.caller, input)) {
      if (text.includes(s)) problems.push(`${label}: the ${e.name} reveals ${JSON.stringify(s)}: ${text}`);
    }
  }
  return problems;
}

// --- the suite ------------------------------------------------------------------------------------

describe('authorization matrix: every operation × every kind of caller', () => {
  let w;
  before(async () => { w = await buildWorld({ full: true }); });

  it('the table covers every route of api/routes.cpp', () => {
    const routes = new URL('../../api/routes.cpp', import.meta.url);
    if (!fs.existsSync(routes)) return; // running outside the source tree
    const ops = [...fs.readFileSync(routes, 'utf8').matchAll(/"([A-Z][A-Za-z]+)",\s*&/g)].map((m) => m[1]);
    assert.ok(ops.length >= 88, `read ${ops.length} routes`);
    const covered = new Set(ROWS.map((r) => r.op));
    assert.deepEqual(ops.filter((op) => !covered.has(op)), [], 'operations without a row');
    assert.deepEqual([...covered].filter((op) => !ops.includes(op)), [], 'rows without a route');
  });

  for (const row of ROWS) {
    it(rowName(row), async () => {
      const world = row.fresh ? await buildWorld({ full: false, beforeExits: row.beforeExits }) : w;
      const problems = await runRow(world, row);
      assert.deepEqual(problems, [], `${rowName(row)}:\n  ${problems.join('\n  ')}`);
    });
  }

  // The same rows once the creator deleted the collaboration (SPEC 6 DeleteCollaboration, 3.3):
  // every collaboration-addressed call is 403 for everybody; the memberships of the creator and
  // the active member are COLLABORATION_DELETED, so their owners read their sub-resources and
  // change nothing (as the removed member, whose membership stays REMOVED).
  describe('after DeleteCollaboration', () => {
    let d;
    before(async () => {
      d = await buildWorld({ full: true });
      assertOk(await d.cl.creator.deleteCollaboration({ collaborationIdentifier: d.cid }), 204);
    });
    const ALL_AD = [AD, AD, AD, AD, AD, AD, NA];
    const READ = [OK, OK, NF_M, OK, NF_M, NF_M, NF_M];
    const WRITE = [AD, AD, NF_M, AD, NF_M, NF_M, NF_M];
    const AFTER_DELETE = {
      GetCollaboration: ALL_AD, UpdateCollaboration: ALL_AD, DeleteCollaboration: ALL_AD, ListMembers: ALL_AD,
      DeleteMember: ALL_AD, CreateMembership: ALL_AD, CreateCollaborationChangeRequest: ALL_AD,
      GetCollaborationChangeRequest: ALL_AD, ListCollaborationChangeRequests: ALL_AD,
      ListSchemas: ALL_AD, GetSchema: ALL_AD, BatchGetSchema: ALL_AD, GetSchemaAnalysisRule: ALL_AD, BatchGetSchemaAnalysisRule: ALL_AD,
      GetCollaborationAnalysisTemplate: ALL_AD, ListCollaborationAnalysisTemplates: ALL_AD, BatchGetCollaborationAnalysisTemplate: ALL_AD,
      GetMembership: READ, UpdateMembership: WRITE,
      GetConfiguredTableAssociation: READ, UpdateConfiguredTableAssociation: WRITE, ListConfiguredTableAssociations: READ,
      GetConfiguredTableAssociationAnalysisRule: READ, UpdateConfiguredTableAssociationAnalysisRule: WRITE,
      GetAnalysisTemplate: READ, UpdateAnalysisTemplate: WRITE, ListAnalysisTemplates: READ, CreateAnalysisTemplate: WRITE,
      StartProtectedQuery: [AD, AD, NF_M, AD, NF_M, NF_M, NF_M], GetProtectedQuery: [OK, NF_M, NF_M, NF_M, NF_M, NF_M, NF_M],
      ListProtectedQueries: READ,
      // its tags went with it
      'TagResource (collaboration)': [NF_C, NF_C, NF_C, NF_C, NF_C, NF_C, NA],
      'ListTagsForResource (collaboration)': [NF_C, NF_C, NF_C, NF_C, NF_C, NF_C, NA],
    };
    for (const row of ROWS) {
      const x = AFTER_DELETE[rowName(row)];
      if (!x) continue;
      it(rowName(row), async () => {
        const problems = await runRow(d, { ...row, x, fresh: false, prepare: undefined });
        assert.deepEqual(problems, [], `${rowName(row)} after DeleteCollaboration:\n  ${problems.join('\n  ')}`);
      });
    }
    it('ListCollaborations no longer shows it; ListMemberships shows COLLABORATION_DELETED', async () => {
      for (const r of ACCOUNTS) {
        const list = assertOk(await d.cl[r].listCollaborations({})).collaborationList;
        assert.ok(!list.some((c) => c.id === d.cid), `${r} still lists the deleted collaboration`);
      }
      for (const r of ['creator', 'active']) {
        const ms = assertOk(await d.cl[r].listMemberships({})).membershipSummaries.filter((m) => m.collaborationId === d.cid);
        assert.deepEqual(ms.map((m) => [m.id, m.status]), [[d.ms[r], 'COLLABORATION_DELETED']]);
      }
    });
  });

  it('matrix size', (t) => {
    const ops = new Set(ROWS.map((r) => r.op)).size;
    t.diagnostic(`${ops} operations in ${ROWS.length} rows × ${ROLES.length} callers: ${checks} calls checked`);
  });

  // --- no leaks through lists and batches -------------------------------------------------------

  it('ListCollaborations / GetCollaboration: only where the caller is INVITED or ACTIVE, caller-relative fields', async () => {
    const want = { creator: ['ACTIVE', w.ms.creator], active: ['ACTIVE', w.ms.active], invited: ['INVITED', undefined] };
    for (const r of ACCOUNTS) {
      const list = assertOk(await w.cl[r].listCollaborations({ maxResults: 100 })).collaborationList;
      const mine = list.filter((c) => c.id === w.cid);
      if (!want[r]) {
        assert.deepEqual(mine, [], `${r} must not list the collaboration`);
        continue;
      }
      assert.equal(mine.length, 1, `${r} lists the collaboration once`);
      assert.equal(mine[0].memberStatus, want[r][0], `${r}: memberStatus`);
      assert.equal(mine[0].membershipId, want[r][1], `${r}: membershipId is the caller's own`);
      const got = assertOk(await w.cl[r].getCollaboration({ collaborationIdentifier: w.cid })).collaboration;
      assert.equal(got.memberStatus, want[r][0]);
      assert.equal(got.membershipId, want[r][1]);
      const others = JOINS.filter((o) => o !== r).map((o) => w.ms[o]);
      for (const c of list) assert.ok(!others.includes(c.membershipId), `${r}: another member's membership id in ${JSON.stringify(c)}`);
    }
  });

  it('ListMemberships / ListConfiguredTables: only the caller\'s own resources', async () => {
    for (const r of ACCOUNTS) {
      const ms = assertOk(await w.cl[r].listMemberships({ maxResults: 100 })).membershipSummaries;
      for (const m of ms) assert.ok(m.arn.includes(`:${w.acct[r]}:membership/`), `${r} lists ${m.arn}`);
      const ids = ms.map((m) => m.id);
      for (const o of JOINS) {
        if (o === r) continue;
        assert.ok(!ids.includes(w.ms[o]), `${r} lists ${o}'s membership`);
      }
      if (r === 'removed') assert.deepEqual(ms.filter((m) => m.id === w.ms.removed).map((m) => m.status), ['REMOVED']);
      if (r === 'left') assert.ok(!ids.includes(w.ms.left), 'a deleted membership is gone');
      const cts = assertOk(await w.cl[r].listConfiguredTables({ maxResults: 100 })).configuredTableSummaries;
      for (const t of cts) assert.ok(t.arn.includes(`:${w.acct[r]}:configuredtable/`), `${r} lists ${t.arn}`);
      assert.ok(cts.some((t) => t.id === w.ct[r].id), `${r} lists its own table`);
      for (const t of cts) assert.ok(!Object.entries(w.names.ct).some(([o, n]) => o !== r && n.includes(t.name)));
    }
  });

  it('membership sub-resource lists: only that membership\'s associations, templates and queries', async () => {
    for (const r of ['creator', 'active', 'removed']) {
      const mid = w.ms[r];
      const ctas = assertOk(await w.cl[r].listConfiguredTableAssociations({ membershipIdentifier: mid, maxResults: 100 }))
        .configuredTableAssociationSummaries;
      assert.ok(ctas.length > 0);
      for (const a of ctas) assert.equal(a.membershipId, mid, `${r}: ${JSON.stringify(a)}`);
      const tpls = assertOk(await w.cl[r].listAnalysisTemplates({ membershipIdentifier: mid, maxResults: 100 }))
        .analysisTemplateSummaries;
      assert.ok(tpls.length > 0);
      for (const t of tpls) assert.equal(t.membershipId, mid, `${r}: ${JSON.stringify(t)}`);
      // the querier's own queries, or those whose results go to the caller (SPEC Q14)
      const queries = assertOk(await w.cl[r].listProtectedQueries({ membershipIdentifier: mid, maxResults: 100 }))
        .protectedQueries;
      if (r === 'creator') for (const q of queries) assert.equal(q.membershipId, mid, `${r}: ${JSON.stringify(q)}`);
      if (r === 'active') assert.deepEqual(queries.map((q) => q.id), [w.memberQuery.id], 'the active member sees only the query it receives');
      if (r === 'removed') assert.deepEqual(queries, [], 'the removed member sees none of the querier\'s queries');
    }
  });

  it('schemas and collaboration templates: the removed member\'s data left the collaboration', async () => {
    const removedCtas = [w.cta.removed, w.cta.rmNoRule, w.cta.rmRuleDel].map((a) => a.name);
    for (const r of ['creator', 'active']) {
      const cl = w.cl[r];
      const names = assertOk(await cl.listSchemas({ collaborationIdentifier: w.cid, maxResults: 100 })).schemaSummaries.map((s) => s.name);
      assert.ok(names.includes(w.cta.active.name) && names.includes(w.cta.creator.name), `${r}: ${names}`);
      for (const n of removedCtas) assert.ok(!names.includes(n), `${r} still sees the removed member's schema ${n}`);
      const e = await expectError(cl.getSchema({ collaborationIdentifier: w.cid, name: w.cta.removed.name }), 'ResourceNotFoundException', 404);
      assertNoSecrets(errorText(e), [w.acct.removed, w.cta.removed.table.name], 'GetSchema of a removed schema');
      const batch = assertOk(await cl.batchGetSchema({ collaborationIdentifier: w.cid, names: [w.cta.active.name, ...removedCtas] }));
      assert.deepEqual(batch.schemas.map((s) => s.name), [w.cta.active.name]);
      assert.deepEqual(batch.errors.map((x) => x.name), removedCtas);
      for (const x of batch.errors) assertNoSecrets(JSON.stringify(x), [w.acct.removed, w.cta.removed.table.name], 'a BatchGetSchema error');
      const rules = assertOk(await cl.batchGetSchemaAnalysisRule({
        collaborationIdentifier: w.cid, schemaAnalysisRuleRequests: removedCtas.map((name) => ({ name, type: 'AGGREGATION' })),
      }));
      assert.deepEqual(rules.analysisRules, []);
      assert.equal(rules.errors.length, removedCtas.length);
      for (const x of rules.errors) assertNoSecrets(JSON.stringify(x), [w.acct.removed, w.cta.removed.table.name], 'a BatchGetSchemaAnalysisRule error');

      const tpls = assertOk(await cl.listCollaborationAnalysisTemplates({ collaborationIdentifier: w.cid, maxResults: 100 }))
        .collaborationAnalysisTemplateSummaries;
      const arns = tpls.map((t) => t.arn);
      assert.ok(arns.includes(w.tpl.active.arn) && arns.includes(w.tpl.creator.arn));
      assert.ok(!arns.includes(w.tpl.removed.arn), `${r} still sees the removed member's template`);
      const ge = await expectError(cl.getCollaborationAnalysisTemplate({ collaborationIdentifier: w.cid, analysisTemplateArn: w.tpl.removed.arn }),
        'ResourceNotFoundException', 404);
      assertNoSecrets(errorText(ge), [w.tpl.removed.name, w.tpl.removed.description], 'GetCollaborationAnalysisTemplate of a removed template');
    }
  });

  it('BatchGetCollaborationAnalysisTemplate: templates of other collaborations and removed members are per-item errors that reveal nothing', async () => {
    // a template of another collaboration, owned by the stranger
    const s = w.cl.stranger;
    const own = assertOk(await s.createCollaboration(collaborationInput({ name: `elsewhere ${w.tag}`, creatorMemberAbilities: ['CAN_QUERY'] })))
      .collaboration;
    const sm = assertOk(await s.createMembership({ collaborationIdentifier: own.id, queryLogStatus: 'DISABLED' })).membership;
    const hidden = `hidden_template_${w.tag}`;
    const st = assertOk(await s.createAnalysisTemplate({
      membershipIdentifier: sm.id, name: hidden, description: `hidden description ${w.tag}`, format: 'SQL',
      source: { text: 'SELECT region, COUNT(DISTINCT id) FROM hidden_table GROUP BY region' },
    })).analysisTemplate;
    for (const r of ['creator', 'active']) {
      const resp = assertOk(await w.cl[r].batchGetCollaborationAnalysisTemplate({
        collaborationIdentifier: w.cid, analysisTemplateArns: [w.tpl.active.arn, w.tpl.removed.arn, st.arn],
      }));
      assert.deepEqual(resp.collaborationAnalysisTemplates.map((t) => t.arn), [w.tpl.active.arn]);
      assert.deepEqual(resp.errors.map((x) => x.arn), [w.tpl.removed.arn, st.arn]);
      for (const x of resp.errors) {
        assertNoSecrets(JSON.stringify(x), [hidden, 'hidden_table', `hidden description ${w.tag}`, w.tpl.removed.name,
          w.tpl.removed.description, `elsewhere ${w.tag}`], 'a BatchGetCollaborationAnalysisTemplate error');
      }
      // the other collaboration's template, asked for through this collaboration: 404
      const e = await expectError(w.cl[r].getCollaborationAnalysisTemplate({ collaborationIdentifier: w.cid, analysisTemplateArn: st.arn }),
        'ResourceNotFoundException', 404);
      assertNoSecrets(errorText(e), [hidden, `elsewhere ${w.tag}`], 'GetCollaborationAnalysisTemplate of a foreign template');
    }
    // and the other way round: the stranger cannot read C's templates through its own collaboration
    const resp = assertOk(await s.batchGetCollaborationAnalysisTemplate({
      collaborationIdentifier: own.id, analysisTemplateArns: [w.tpl.active.arn],
    }));
    assert.deepEqual(resp.collaborationAnalysisTemplates, []);
    assertNoSecrets(JSON.stringify(resp.errors), [w.tpl.active.name, w.tpl.active.description, w.collabName, w.collabDescription],
      'a cross-collaboration batch error');
  });

  it('schemas show other members only the derived view: no table reference, role, configured table name or id', async () => {
    for (const [r, o] of [['creator', 'active'], ['active', 'creator']]) {
      const cl = w.cl[r];
      const owner = w.cta[o];
      const hidden = [owner.table.name, owner.table.id, owner.table.arn, `db_${w.tag}`, `${ROLE_ARN}-${w.tag}`];
      const seen = [
        assertOk(await cl.getSchema({ collaborationIdentifier: w.cid, name: owner.name })).schema,
        assertOk(await cl.listSchemas({ collaborationIdentifier: w.cid })).schemaSummaries,
        assertOk(await cl.batchGetSchema({ collaborationIdentifier: w.cid, names: [owner.name] })).schemas,
        assertOk(await cl.getSchemaAnalysisRule({ collaborationIdentifier: w.cid, name: owner.name, type: 'AGGREGATION' })).analysisRule,
        assertOk(await cl.batchGetSchemaAnalysisRule({
          collaborationIdentifier: w.cid, schemaAnalysisRuleRequests: [{ name: owner.name, type: 'AGGREGATION' }],
        })).analysisRules,
        assertOk(await cl.listCollaborationAnalysisTemplates({ collaborationIdentifier: w.cid })).collaborationAnalysisTemplateSummaries,
        assertOk(await cl.getCollaborationAnalysisTemplate({ collaborationIdentifier: w.cid, analysisTemplateArn: w.tpl[o].arn }))
          .collaborationAnalysisTemplate,
      ];
      const schema = seen[0];
      assert.equal(schema.creatorAccountId, w.acct[o]);
      assert.equal(schema.resourceArn, owner.arn);
      assertNoSecrets(JSON.stringify(seen), hidden, `${r} reading ${o}'s schema and template`);
      // and nothing of the owner's membership settings (its template views name no membership)
      assert.equal(seen[6].membershipId, undefined);
      assert.equal(seen[6].membershipArn, undefined);
    }
  });

  it('another region: the same accounts see nothing of it', async () => {
    const eu = (r) => clientFor(w.acct[r], 'eu-west-1');
    for (const r of ['creator', 'active']) {
      const cl = eu(r);
      await expectError(cl.getCollaboration({ collaborationIdentifier: w.cid }), 'AccessDeniedException', 403);
      await expectError(cl.listMembers({ collaborationIdentifier: w.cid }), 'AccessDeniedException', 403);
      await expectError(cl.listSchemas({ collaborationIdentifier: w.cid }), 'AccessDeniedException', 403);
      await expectError(cl.getMembership({ membershipIdentifier: w.ms[r] }), 'ResourceNotFoundException', 404);
      await expectError(cl.listConfiguredTableAssociations({ membershipIdentifier: w.ms[r] }), 'ResourceNotFoundException', 404);
      await expectError(cl.getAnalysisTemplate({ membershipIdentifier: w.ms[r], analysisTemplateIdentifier: w.tpl[r].id }),
        'ResourceNotFoundException', 404);
      await expectError(cl.getConfiguredTable({ configuredTableIdentifier: w.ct[r].id }), 'ResourceNotFoundException', 404);
      await expectError(cl.listTagsForResource({ resourceArn: w.msArn[r] }), 'ResourceNotFoundException', 404);
      await expectError(cl.tagResource({ resourceArn: w.ct[r].arn, tags: { x: 'y' } }), 'ResourceNotFoundException', 404);
      assert.ok(!assertOk(await cl.listCollaborations({})).collaborationList.some((c) => c.id === w.cid));
      assert.ok(!assertOk(await cl.listMemberships({})).membershipSummaries.some((m) => m.id === w.ms[r]));
      assert.ok(!assertOk(await cl.listConfiguredTables({})).configuredTableSummaries.some((t) => t.id === w.ct[r].id));
    }
    await expectError(eu('creator').startProtectedQuery({
      membershipIdentifier: w.ms.creator, type: 'SQL', sqlParameters: { queryString: `SELECT COUNT(DISTINCT id) FROM ${w.querySchema}` },
    }), 'ResourceNotFoundException', 404);
    await expectError(eu('creator').deleteCollaboration({ collaborationIdentifier: w.cid }), 'AccessDeniedException', 403);
  });

  // --- pagination tokens --------------------------------------------------------------------------

  // A nextToken replayed by another caller, for another filter or operation, or tampered with:
  // ValidationException naming nextToken, revealing nothing of the page it came from.
  async function refused(promise, secrets, what) {
    const e = await expectError(promise, 'ValidationException', 400).catch((err) => {
      throw new Error(`${what}: ${err.message}`);
    });
    assert.ok((e.fieldList ?? []).some((f) => f.name === 'nextToken'), `${what}: fieldList names nextToken: ${errorText(e)}`);
    assertNoSecrets(errorText(e), secrets, what);
  }
  async function token(promise, what) {
    const resp = assertOk(await promise);
    assert.ok(resp.nextToken, `${what} returns a nextToken`);
    return resp.nextToken;
  }
  const tamper = (t) => t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1);

  it('pagination tokens: bound to the account, the operation and the filter', async () => {
    const { creator: a, active: b, stranger: s, removed: rm, invited: inv } = w.cl;
    const names = [w.collabName, ...Object.values(w.names.ct).flat(), ...Object.values(w.names.cta).flat(),
      ...Object.values(w.names.tpl).flat()];
    // a second collaboration of the creator, joined by creator and active member
    const second = assertOk(await a.createCollaboration(collaborationInput({
      name: `second ${w.tag}`, members: [member(w.acct.active, 'Second active', [])],
    }))).collaboration;
    await a.createMembership({ collaborationIdentifier: second.id, queryLogStatus: 'DISABLED' });
    names.push(`second ${w.tag}`);

    // ListCollaborations
    const t1 = await token(a.listCollaborations({ maxResults: 1 }), 'ListCollaborations');
    assertOk(await a.listCollaborations({ maxResults: 1, nextToken: t1 }));
    await refused(b.listCollaborations({ maxResults: 1, nextToken: t1 }), names, 'ListCollaborations token replayed by another member');
    await refused(s.listCollaborations({ nextToken: t1 }), names, 'ListCollaborations token replayed by a stranger');
    await refused(a.listCollaborations({ memberStatus: 'ACTIVE', nextToken: t1 }), names, 'ListCollaborations token with another filter');
    await refused(a.listMemberships({ nextToken: t1 }), names, 'ListCollaborations token given to ListMemberships');
    await refused(a.listConfiguredTables({ nextToken: t1 }), names, 'ListCollaborations token given to ListConfiguredTables');
    await refused(a.listCollaborations({ nextToken: tamper(t1) }), names, 'a tampered ListCollaborations token');
    // Resources are regional: the same account's token from another region would page nothing.
    await refused(clientFor(w.acct.creator, 'eu-west-1').listCollaborations({ maxResults: 1, nextToken: t1 }), names,
      'ListCollaborations token replayed in another region');

    // ListMembers
    const t2 = await token(a.listMembers({ collaborationIdentifier: w.cid, maxResults: 1 }), 'ListMembers');
    await refused(b.listMembers({ collaborationIdentifier: w.cid, nextToken: t2 }), names, 'ListMembers token replayed by another member');
    await refused(inv.listMembers({ collaborationIdentifier: w.cid, nextToken: t2 }), names, 'ListMembers token replayed by an invitee');
    await refused(s.listMembers({ collaborationIdentifier: w.cid, nextToken: t2 }), names, 'ListMembers token replayed by a stranger');
    await refused(a.listMembers({ collaborationIdentifier: second.id, nextToken: t2 }), names, 'ListMembers token for another collaboration');

    // ListMemberships
    const t3 = await token(a.listMemberships({ maxResults: 1 }), 'ListMemberships');
    await refused(b.listMemberships({ nextToken: t3 }), names, 'ListMemberships token replayed by another account');
    await refused(a.listMemberships({ status: 'ACTIVE', nextToken: t3 }), names, 'ListMemberships token with another filter');

    // ListConfiguredTables (the removed member owns several)
    const t4 = await token(rm.listConfiguredTables({ maxResults: 1 }), 'ListConfiguredTables');
    await refused(s.listConfiguredTables({ nextToken: t4 }), names, 'ListConfiguredTables token replayed by another account');
    await refused(a.listConfiguredTables({ nextToken: t4 }), names, 'ListConfiguredTables token replayed by the creator');

    // ListSchemas
    const t5 = await token(a.listSchemas({ collaborationIdentifier: w.cid, maxResults: 1 }), 'ListSchemas');
    await refused(b.listSchemas({ collaborationIdentifier: w.cid, nextToken: t5 }), names, 'ListSchemas token replayed by another member');
    await refused(a.listSchemas({ collaborationIdentifier: w.cid, schemaType: 'TABLE', nextToken: t5 }), names, 'ListSchemas token with another filter');
    await refused(a.listSchemas({ collaborationIdentifier: second.id, nextToken: t5 }), names, 'ListSchemas token for another collaboration');
    await refused(a.listCollaborationAnalysisTemplates({ collaborationIdentifier: w.cid, nextToken: t5 }), names,
      'ListSchemas token given to ListCollaborationAnalysisTemplates');

    // ListConfiguredTableAssociations and ListAnalysisTemplates (the removed member's several)
    const t6 = await token(rm.listConfiguredTableAssociations({ membershipIdentifier: w.ms.removed, maxResults: 1 }), 'ListConfiguredTableAssociations');
    await refused(a.listConfiguredTableAssociations({ membershipIdentifier: w.ms.creator, nextToken: t6 }), names,
      'ListConfiguredTableAssociations token replayed by another account on its membership');
    await refused(a.listConfiguredTableAssociations({ membershipIdentifier: w.ms.removed, nextToken: t6 }), names,
      'ListConfiguredTableAssociations token replayed by another account on the owner\'s membership');
    await refused(rm.listAnalysisTemplates({ membershipIdentifier: w.ms.removed, nextToken: t6 }), names,
      'ListConfiguredTableAssociations token given to ListAnalysisTemplates');
    const t7 = await token(rm.listAnalysisTemplates({ membershipIdentifier: w.ms.removed, maxResults: 1 }), 'ListAnalysisTemplates');
    await refused(a.listAnalysisTemplates({ membershipIdentifier: w.ms.creator, nextToken: t7 }), names,
      'ListAnalysisTemplates token replayed by another account');

    // ListProtectedQueries (the creator ran several)
    const t8 = await token(a.listProtectedQueries({ membershipIdentifier: w.ms.creator, maxResults: 1 }), 'ListProtectedQueries');
    await refused(a.listProtectedQueries({ membershipIdentifier: w.ms.creator, status: 'CANCELLED', nextToken: t8 }), names,
      'ListProtectedQueries token with another filter');
    await refused(b.listProtectedQueries({ membershipIdentifier: w.ms.active, nextToken: t8 }), names,
      'ListProtectedQueries token replayed by another member');

    // ListCollaborationAnalysisTemplates and ListCollaborationChangeRequests
    const t9 = await token(a.listCollaborationAnalysisTemplates({ collaborationIdentifier: w.cid, maxResults: 1 }),
      'ListCollaborationAnalysisTemplates');
    await refused(b.listCollaborationAnalysisTemplates({ collaborationIdentifier: w.cid, nextToken: t9 }), names,
      'ListCollaborationAnalysisTemplates token replayed by another member');
    const t10 = await token(a.listCollaborationChangeRequests({ collaborationIdentifier: w.cid, maxResults: 1 }),
      'ListCollaborationChangeRequests');
    await refused(b.listCollaborationChangeRequests({ collaborationIdentifier: w.cid, nextToken: t10 }), names,
      'ListCollaborationChangeRequests token replayed by another member');
    await refused(inv.listCollaborationChangeRequests({ collaborationIdentifier: w.cid, nextToken: t10 }), names,
      'ListCollaborationChangeRequests token replayed by an invitee');
    await refused(a.listCollaborationChangeRequests({ collaborationIdentifier: w.cid, status: 'PENDING', nextToken: t10 }), names,
      'ListCollaborationChangeRequests token with another filter');
  });
});
