// End-to-end member lifecycle through the official JS SDK (@aws-sdk/client-cleanrooms), one
// client per account. Behaviour reference: shared/spec/SPEC.md sections 3, 6, 7, 15, 19.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  paginateListCollaborations,
  paginateListMembers,
  paginateListMemberships,
} from '@aws-sdk/client-cleanrooms';
import {
  REGION, UUID_RE, assertOk, assertTimestamp, clientFor, collaborationArn, collaborationInput,
  expectError, expectValidation, member, membershipArn, newAccount,
} from './helpers.mjs';
import { scenario } from './steps.mjs';

async function allCollaborations(client, filter = {}, pageSize = 100) {
  const out = [];
  for await (const page of paginateListCollaborations({ client, pageSize }, filter)) {
    out.push(...page.collaborationList);
  }
  return out;
}

async function allMembers(client, collaborationIdentifier) {
  const out = [];
  for await (const page of paginateListMembers({ client }, { collaborationIdentifier })) {
    out.push(...page.memberSummaries);
  }
  return out;
}

async function allMemberships(client, filter = {}) {
  const out = [];
  for await (const page of paginateListMemberships({ client }, filter)) {
    out.push(...page.membershipSummaries);
  }
  return out;
}

const responsible = (summary) => summary.paymentConfiguration?.queryCompute?.isResponsible;
const callerRelative = ({ memberStatus, membershipId, membershipArn, ...rest }) => rest;

describe('member lifecycle: creator A, querier B, data provider C, stranger D', () => {
  const step = scenario();
  const [A, B, C, D] = [newAccount(), newAccount(), newAccount(), newAccount()];
  const [a, b, c, d] = [A, B, C, D].map((acct) => clientFor(acct));
  let collab; // as created by A
  let memA, memB, memC; // memberships

  step('A creates the collaboration; the response has the documented shape', async () => {
    const resp = assertOk(await a.createCollaboration(collaborationInput({
      name: 'lifecycle',
      description: 'three accounts',
      creatorDisplayName: 'Alpha',
      creatorMemberAbilities: [],
      members: [member(B, 'Bravo', ['CAN_QUERY', 'CAN_RECEIVE_RESULTS']), member(C, 'Charlie', [])],
      tags: { team: 'clean', env: 'test' },
    })));
    collab = resp.collaboration;
    assert.match(collab.id, UUID_RE);
    assert.equal(collab.arn, collaborationArn(A, collab.id));
    assert.equal(collab.name, 'lifecycle');
    assert.equal(collab.description, 'three accounts');
    assert.equal(collab.creatorAccountId, A);
    assert.equal(collab.creatorDisplayName, 'Alpha');
    assert.equal(collab.queryLogStatus, 'DISABLED');
    assert.equal(collab.memberStatus, 'INVITED');
    assertTimestamp(collab.createTime, 'createTime');
    assertTimestamp(collab.updateTime, 'updateTime');
    assert.equal(collab.updateTime.getTime(), collab.createTime.getTime());
    // the creator has not joined yet, and optional members that were not sent are not echoed
    for (const absent of ['membershipId', 'membershipArn', 'dataEncryptionMetadata', 'jobLogStatus',
      'analyticsEngine', 'allowedResultRegions', 'isMetricsEnabled']) {
      assert.equal(collab[absent], undefined, `${absent} is omitted`);
    }
  });

  step('GetCollaboration: creator and invitees see it, memberStatus is the caller\'s own', async () => {
    for (const cl of [a, b, c]) {
      const got = assertOk(await cl.getCollaboration({ collaborationIdentifier: collab.id })).collaboration;
      assert.deepEqual(got, collab);
    }
  });

  step('GetCollaboration by a stranger or of an unknown id → AccessDeniedException', async () => {
    await expectError(d.getCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(a.getCollaboration({ collaborationIdentifier: '0f0f0f0f-0000-4000-8000-000000000000' }),
      'AccessDeniedException', 403);
  });

  step('ListCollaborations: each account sees it as INVITED; memberStatus filter applies', async () => {
    for (const cl of [a, b, c]) {
      const list = await allCollaborations(cl);
      assert.equal(list.length, 1);
      const s = list[0];
      assert.equal(s.id, collab.id);
      assert.equal(s.arn, collab.arn);
      assert.equal(s.name, 'lifecycle');
      assert.equal(s.creatorAccountId, A);
      assert.equal(s.creatorDisplayName, 'Alpha');
      assert.equal(s.memberStatus, 'INVITED');
      assert.equal(s.membershipId, undefined);
      assert.equal(s.createTime.getTime(), collab.createTime.getTime());
      assert.equal(s.updateTime.getTime(), collab.updateTime.getTime());
      assert.deepEqual((await allCollaborations(cl, { memberStatus: 'INVITED' })).map((x) => x.id), [collab.id]);
      assert.deepEqual(await allCollaborations(cl, { memberStatus: 'ACTIVE' }), []);
    }
    const resp = assertOk(await d.listCollaborations({}));
    assert.deepEqual(resp.collaborationList, []);
    assert.equal(resp.nextToken, undefined);
  });

  step('ListMembers: creator first then invitation order, resolved payment configuration', async () => {
    for (const cl of [a, b, c]) {
      const members = await allMembers(cl, collab.id);
      assert.deepEqual(members.map((m) => m.accountId), [A, B, C]);
      assert.deepEqual(members.map((m) => m.displayName), ['Alpha', 'Bravo', 'Charlie']);
      assert.deepEqual(members.map((m) => m.status), ['INVITED', 'INVITED', 'INVITED']);
      assert.deepEqual(members.map((m) => m.abilities), [[], ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'], []]);
      // nobody was named payer: the querier B pays for query compute
      assert.deepEqual(members.map(responsible), [false, true, false]);
      for (const m of members) {
        assert.equal(m.membershipId, undefined);
        assert.equal(m.membershipArn, undefined);
        assert.equal(m.createTime.getTime(), collab.createTime.getTime());
        assertTimestamp(m.updateTime, 'member updateTime');
      }
    }
    await expectError(d.listMembers({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
  });

  step('CreateMembership by an account without a member record → AccessDeniedException', async () => {
    await expectError(d.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }),
      'AccessDeniedException', 403);
  });

  step('B joins without paymentConfiguration (the querier accepts implicitly)', async () => {
    const resp = assertOk(await b.createMembership({
      collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED', tags: { owner: 'bravo' },
    }));
    memB = resp.membership;
    assert.match(memB.id, UUID_RE);
    assert.equal(memB.arn, membershipArn(B, memB.id));
    assert.equal(memB.collaborationId, collab.id);
    assert.equal(memB.collaborationArn, collab.arn);
    assert.equal(memB.collaborationCreatorAccountId, A);
    assert.equal(memB.collaborationCreatorDisplayName, 'Alpha');
    assert.equal(memB.collaborationName, 'lifecycle');
    assert.equal(memB.status, 'ACTIVE');
    assert.deepEqual(memB.memberAbilities, ['CAN_QUERY', 'CAN_RECEIVE_RESULTS']);
    assert.equal(memB.queryLogStatus, 'DISABLED');
    assert.deepEqual(memB.paymentConfiguration, { queryCompute: { isResponsible: true } });
    assertTimestamp(memB.createTime, 'membership createTime');
    assert.equal(memB.defaultResultConfiguration, undefined);
  });

  step('B joining twice → ConflictException ALREADY_EXISTS', async () => {
    const err = await expectError(b.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }),
      'ConflictException', 409);
    assert.equal(err.reason, 'ALREADY_EXISTS');
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.equal(err.resourceId, memB.id);
  });

  step('C (not the payer) cannot accept query-compute payment; joins without it', async () => {
    await expectValidation(c.createMembership({
      collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED',
      paymentConfiguration: { queryCompute: { isResponsible: true } },
    }), 'INVALID_CONFIGURATION');
    memC = assertOk(await c.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    assert.equal(memC.arn, membershipArn(C, memC.id));
    assert.equal(memC.status, 'ACTIVE');
    assert.deepEqual(memC.memberAbilities, []);
    assert.deepEqual(memC.paymentConfiguration, { queryCompute: { isResponsible: false } });
  });

  step('A, the creator, joins its own collaboration (explicit isResponsible:false is accepted)', async () => {
    memA = assertOk(await a.createMembership({
      collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED',
      paymentConfiguration: { queryCompute: { isResponsible: false } },
    })).membership;
    assert.equal(memA.arn, membershipArn(A, memA.id));
    assert.equal(memA.status, 'ACTIVE');
    assert.deepEqual(memA.memberAbilities, []);
    assert.deepEqual(memA.paymentConfiguration, { queryCompute: { isResponsible: false } });
  });

  step('after joining, GetCollaboration/ListCollaborations show ACTIVE and the caller\'s membership', async () => {
    const views = [];
    for (const [cl, mem] of [[a, memA], [b, memB], [c, memC]]) {
      const got = (await cl.getCollaboration({ collaborationIdentifier: collab.id })).collaboration;
      assert.equal(got.memberStatus, 'ACTIVE');
      assert.equal(got.membershipId, mem.id);
      assert.equal(got.membershipArn, mem.arn);
      views.push(callerRelative(got));
      const active = await allCollaborations(cl, { memberStatus: 'ACTIVE' });
      assert.deepEqual(active.map((s) => [s.id, s.memberStatus, s.membershipId, s.membershipArn]),
        [[collab.id, 'ACTIVE', mem.id, mem.arn]]);
      assert.deepEqual(await allCollaborations(cl, { memberStatus: 'INVITED' }), []);
    }
    // every field that is not caller-relative is the same for everybody
    assert.deepEqual(views[1], views[0]);
    assert.deepEqual(views[2], views[0]);
  });

  step('ListMembers shows every member ACTIVE with its membership', async () => {
    const members = await allMembers(b, collab.id);
    assert.deepEqual(members.map((m) => [m.accountId, m.status, m.membershipId, m.membershipArn]), [
      [A, 'ACTIVE', memA.id, memA.arn],
      [B, 'ACTIVE', memB.id, memB.arn],
      [C, 'ACTIVE', memC.id, memC.arn],
    ]);
    for (const m of members) assert.ok(m.updateTime >= m.createTime);
    assert.deepEqual(members.map(responsible), [false, true, false]);
  });

  step('GetMembership/ListMemberships show only the caller\'s own memberships', async () => {
    const got = assertOk(await b.getMembership({ membershipIdentifier: memB.id })).membership;
    assert.deepEqual(got, memB);
    const err = await expectError(a.getMembership({ membershipIdentifier: memB.id }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.equal(err.resourceId, memB.id);
    await expectError(b.getMembership({ membershipIdentifier: '0f0f0f0f-0000-4000-8000-000000000000' }),
      'ResourceNotFoundException', 404);

    for (const [cl, acct, mem] of [[a, A, memA], [b, B, memB], [c, C, memC]]) {
      const list = await allMemberships(cl);
      assert.deepEqual(list.map((s) => s.id), [mem.id]);
      const s = list[0];
      assert.equal(s.arn, membershipArn(acct, mem.id));
      assert.equal(s.collaborationId, collab.id);
      assert.equal(s.collaborationArn, collab.arn);
      assert.equal(s.collaborationCreatorAccountId, A);
      assert.equal(s.collaborationName, 'lifecycle');
      assert.equal(s.status, 'ACTIVE');
      assert.deepEqual(s.memberAbilities, mem.memberAbilities);
      assert.deepEqual(s.paymentConfiguration, mem.paymentConfiguration);
      assert.deepEqual((await allMemberships(cl, { status: 'ACTIVE' })).map((x) => x.id), [mem.id]);
      assert.deepEqual(await allMemberships(cl, { status: 'REMOVED' }), []);
    }
    assert.deepEqual(assertOk(await d.listMemberships({})).membershipSummaries, []);
  });

  step('UpdateMembership: the result receiver sets a default result configuration', async () => {
    const defaultResultConfiguration = {
      outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'bravo-results', keyPrefix: 'cleanrooms/' } },
      roleArn: `arn:aws:iam::${B}:role/cleanrooms-results`,
    };
    const upd = assertOk(await b.updateMembership({ membershipIdentifier: memB.id, defaultResultConfiguration })).membership;
    assert.deepEqual(upd.defaultResultConfiguration, defaultResultConfiguration);
    assert.equal(upd.queryLogStatus, 'DISABLED');
    assert.ok(upd.updateTime >= memB.updateTime);
    assert.equal(upd.createTime.getTime(), memB.createTime.getTime());
    const got = (await b.getMembership({ membershipIdentifier: memB.id })).membership;
    assert.deepEqual(got, upd);
    memB = upd;
  });

  step('UpdateMembership: a member without CAN_RECEIVE_RESULTS cannot set results; others\' → 404', async () => {
    await expectValidation(c.updateMembership({
      membershipIdentifier: memC.id,
      defaultResultConfiguration: { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'charlie-results' } } },
    }), 'INVALID_CONFIGURATION');
    await expectError(a.updateMembership({ membershipIdentifier: memB.id, queryLogStatus: 'DISABLED' }),
      'ResourceNotFoundException', 404);
  });

  step('UpdateCollaboration by the creator renames; members see the new collaborationName', async () => {
    const upd = assertOk(await a.updateCollaboration({ collaborationIdentifier: collab.id, name: 'lifecycle-renamed' })).collaboration;
    assert.equal(upd.name, 'lifecycle-renamed');
    assert.equal(upd.description, 'three accounts');
    assert.equal(upd.id, collab.id);
    assert.equal(upd.memberStatus, 'ACTIVE');
    assert.ok(upd.updateTime >= collab.updateTime);
    assert.equal(upd.createTime.getTime(), collab.createTime.getTime());
    assert.equal((await b.getMembership({ membershipIdentifier: memB.id })).membership.collaborationName, 'lifecycle-renamed');
    assert.equal((await allMemberships(c))[0].collaborationName, 'lifecycle-renamed');
    assert.equal((await c.getCollaboration({ collaborationIdentifier: collab.id })).collaboration.name, 'lifecycle-renamed');
    assert.equal((await allCollaborations(b))[0].name, 'lifecycle-renamed');
  });

  step('UpdateCollaboration by a member who is not the creator → AccessDeniedException', async () => {
    await expectError(b.updateCollaboration({ collaborationIdentifier: collab.id, name: 'hijack' }), 'AccessDeniedException', 403);
    await expectError(d.updateCollaboration({ collaborationIdentifier: collab.id, name: 'hijack' }), 'AccessDeniedException', 403);
    assert.equal((await a.getCollaboration({ collaborationIdentifier: collab.id })).collaboration.name, 'lifecycle-renamed');
  });

  step('tags on the collaboration ARN: only the creator reads and changes them', async () => {
    const arn = collab.arn;
    assert.deepEqual(assertOk(await a.listTagsForResource({ resourceArn: arn })).tags, { team: 'clean', env: 'test' });
    assertOk(await a.tagResource({ resourceArn: arn, tags: { stage: 'one', env: 'prod' } }));
    assert.deepEqual((await a.listTagsForResource({ resourceArn: arn })).tags, { team: 'clean', env: 'prod', stage: 'one' });
    assertOk(await a.untagResource({ resourceArn: arn, tagKeys: ['team', 'never-set'] }));
    assert.deepEqual((await a.listTagsForResource({ resourceArn: arn })).tags, { env: 'prod', stage: 'one' });
    for (const other of [b, c, d]) {
      await expectError(other.listTagsForResource({ resourceArn: arn }), 'ResourceNotFoundException', 404);
      await expectError(other.tagResource({ resourceArn: arn, tags: { x: 'y' } }), 'ResourceNotFoundException', 404);
      await expectError(other.untagResource({ resourceArn: arn, tagKeys: ['env'] }), 'ResourceNotFoundException', 404);
    }
    assert.deepEqual((await a.listTagsForResource({ resourceArn: arn })).tags, { env: 'prod', stage: 'one' });
    await expectError(a.listTagsForResource({ resourceArn: collaborationArn(A, '0f0f0f0f-0000-4000-8000-000000000000') }),
      'ResourceNotFoundException', 404);
  });

  step('tags on a membership ARN: only the membership owner', async () => {
    const arn = memB.arn;
    assert.deepEqual((await b.listTagsForResource({ resourceArn: arn })).tags, { owner: 'bravo' });
    assertOk(await b.tagResource({ resourceArn: arn, tags: { cost: 'center-7' } }));
    assert.deepEqual((await b.listTagsForResource({ resourceArn: arn })).tags, { owner: 'bravo', cost: 'center-7' });
    assertOk(await b.untagResource({ resourceArn: arn, tagKeys: ['owner'] }));
    assert.deepEqual((await b.listTagsForResource({ resourceArn: arn })).tags, { cost: 'center-7' });
    await expectError(a.listTagsForResource({ resourceArn: arn }), 'ResourceNotFoundException', 404);
    await expectError(a.tagResource({ resourceArn: arn, tags: { x: 'y' } }), 'ResourceNotFoundException', 404);
    // a membership created without tags lists an empty map
    assert.deepEqual(assertOk(await c.listTagsForResource({ resourceArn: memC.arn })).tags, {});
  });

  step('DeleteMember: only the creator, never itself, only existing members', async () => {
    await expectError(b.deleteMember({ collaborationIdentifier: collab.id, accountId: C }), 'AccessDeniedException', 403);
    await expectValidation(a.deleteMember({ collaborationIdentifier: collab.id, accountId: A }), 'INVALID_CONFIGURATION');
    await expectError(a.deleteMember({ collaborationIdentifier: collab.id, accountId: D }), 'ResourceNotFoundException', 404);
  });

  step('A removes C: C\'s membership and member record become REMOVED', async () => {
    assertOk(await a.deleteMember({ collaborationIdentifier: collab.id, accountId: C }), 204);
    const again = await expectError(a.deleteMember({ collaborationIdentifier: collab.id, accountId: C }), 'ConflictException', 409);
    assert.equal(again.reason, 'INVALID_STATE');
    assert.equal((await c.getMembership({ membershipIdentifier: memC.id })).membership.status, 'REMOVED');
    const members = await allMembers(a, collab.id);
    assert.deepEqual(members.map((m) => [m.accountId, m.status]), [[A, 'ACTIVE'], [B, 'ACTIVE'], [C, 'REMOVED']]);
    assert.equal(members[2].membershipId, memC.id, 'a REMOVED member keeps its membership id');
    assert.ok(members[2].updateTime >= members[2].createTime);
  });

  step('a removed member loses the collaboration but keeps its membership (read-only)', async () => {
    await expectError(c.getCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(c.listMembers({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    assert.deepEqual(await allCollaborations(c), []);
    assert.deepEqual((await allMemberships(c)).map((s) => [s.id, s.status]), [[memC.id, 'REMOVED']]);
    assert.deepEqual((await allMemberships(c, { status: 'REMOVED' })).map((s) => s.id), [memC.id]);
    assert.deepEqual(await allMemberships(c, { status: 'ACTIVE' }), []);
    await expectError(c.updateMembership({ membershipIdentifier: memC.id, queryLogStatus: 'DISABLED' }),
      'AccessDeniedException', 403);
    await expectError(c.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }),
      'AccessDeniedException', 403);
  });

  step('B leaves by deleting its membership: member LEFT, membership gone', async () => {
    await expectError(a.deleteMembership({ membershipIdentifier: memB.id }), 'ResourceNotFoundException', 404);
    assertOk(await b.deleteMembership({ membershipIdentifier: memB.id }), 204);
    const err = await expectError(b.getMembership({ membershipIdentifier: memB.id }), 'ResourceNotFoundException', 404);
    assert.equal(err.resourceType, 'MEMBERSHIP');
    assert.deepEqual(await allMemberships(b), []);
    await expectError(b.deleteMembership({ membershipIdentifier: memB.id }), 'ResourceNotFoundException', 404);
    await expectError(b.listTagsForResource({ resourceArn: memB.arn }), 'ResourceNotFoundException', 404);
    const members = await allMembers(a, collab.id);
    assert.deepEqual(members.map((m) => [m.accountId, m.status]), [[A, 'ACTIVE'], [B, 'LEFT'], [C, 'REMOVED']]);
    assert.equal(members[1].membershipId, undefined, 'a member who left has no membership id');
    await expectError(b.getCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    assert.deepEqual(await allCollaborations(b), []);
    await expectError(b.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }),
      'AccessDeniedException', 403);
  });

  step('the creator cannot leave while the collaboration exists → ConflictException', async () => {
    const err = await expectError(a.deleteMembership({ membershipIdentifier: memA.id }), 'ConflictException', 409);
    assert.equal(err.reason, 'INVALID_STATE');
    assert.equal((await a.getMembership({ membershipIdentifier: memA.id })).membership.status, 'ACTIVE');
  });

  step('DeleteCollaboration: only the creator; 204 with memberships COLLABORATION_DELETED', async () => {
    await expectError(b.deleteCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(d.deleteCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    assertOk(await a.deleteCollaboration({ collaborationIdentifier: collab.id }), 204);
    const gotA = (await a.getMembership({ membershipIdentifier: memA.id })).membership;
    assert.equal(gotA.status, 'COLLABORATION_DELETED');
    assert.equal(gotA.collaborationName, 'lifecycle-renamed', 'last known name');
    assert.equal((await c.getMembership({ membershipIdentifier: memC.id })).membership.status, 'REMOVED',
      'a REMOVED membership stays REMOVED');
    assert.deepEqual((await allMemberships(a, { status: 'COLLABORATION_DELETED' })).map((s) => s.id), [memA.id]);
  });

  step('a deleted collaboration is gone for everybody (403), a second delete too', async () => {
    await expectError(a.getCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(a.listMembers({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(a.updateCollaboration({ collaborationIdentifier: collab.id, name: 'x' }), 'AccessDeniedException', 403);
    await expectError(a.deleteCollaboration({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    await expectError(a.deleteMember({ collaborationIdentifier: collab.id, accountId: B }), 'AccessDeniedException', 403);
    assert.deepEqual(await allCollaborations(a), []);
    await expectError(a.listTagsForResource({ resourceArn: collab.arn }), 'ResourceNotFoundException', 404);
    await expectError(a.updateMembership({ membershipIdentifier: memA.id, queryLogStatus: 'DISABLED' }),
      'AccessDeniedException', 403);
  });

  step('after the collaboration is deleted, its members (creator included) delete their memberships', async () => {
    assertOk(await a.deleteMembership({ membershipIdentifier: memA.id }), 204);
    assertOk(await c.deleteMembership({ membershipIdentifier: memC.id }), 204);
    await expectError(a.getMembership({ membershipIdentifier: memA.id }), 'ResourceNotFoundException', 404);
    assert.deepEqual(await allMemberships(a), []);
    assert.deepEqual(await allMemberships(c), []);
  });
});

describe('payment configuration variants (SPEC 19)', () => {
  it('a non-querier payer must accept explicitly; the querier who does not pay may omit it', async () => {
    const [P, Q, R] = [newAccount(), newAccount(), newAccount()];
    const [p, q, r] = [P, Q, R].map((x) => clientFor(x));
    const col = (await p.createCollaboration(collaborationInput({
      creatorDisplayName: 'Payless',
      members: [
        member(Q, 'Querier', ['CAN_QUERY'], { paymentConfiguration: { queryCompute: { isResponsible: false } } }),
        member(R, 'Payer', [], { paymentConfiguration: { queryCompute: { isResponsible: true } } }),
      ],
    }))).collaboration;
    const members = await allMembers(p, col.id);
    assert.deepEqual(members.map((m) => [m.accountId, responsible(m)]), [[P, false], [Q, false], [R, true]]);

    await expectValidation(r.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' }),
      'INVALID_CONFIGURATION');
    await expectValidation(r.createMembership({
      collaborationIdentifier: col.id, queryLogStatus: 'DISABLED', paymentConfiguration: { queryCompute: { isResponsible: false } },
    }), 'INVALID_CONFIGURATION');
    const mr = (await r.createMembership({
      collaborationIdentifier: col.id, queryLogStatus: 'DISABLED', paymentConfiguration: { queryCompute: { isResponsible: true } },
    })).membership;
    assert.deepEqual(mr.paymentConfiguration, { queryCompute: { isResponsible: true } });

    await expectValidation(q.createMembership({
      collaborationIdentifier: col.id, queryLogStatus: 'DISABLED', paymentConfiguration: { queryCompute: { isResponsible: true } },
    }), 'INVALID_CONFIGURATION');
    const mq = (await q.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' })).membership;
    assert.deepEqual(mq.paymentConfiguration, { queryCompute: { isResponsible: false } });
    assert.deepEqual(mq.memberAbilities, ['CAN_QUERY']);
    await p.deleteCollaboration({ collaborationIdentifier: col.id });
  });

  it('a creator who receives results and pays must send paymentConfiguration to join', async () => {
    const [P, Q] = [newAccount(), newAccount()];
    const [p, q] = [P, Q].map((x) => clientFor(x));
    const col = (await p.createCollaboration(collaborationInput({
      creatorMemberAbilities: ['CAN_RECEIVE_RESULTS'],
      creatorPaymentConfiguration: { queryCompute: { isResponsible: true } },
      members: [member(Q, 'Querier', ['CAN_QUERY'])],
    }))).collaboration;
    const members = await allMembers(q, col.id);
    assert.deepEqual(members.map((m) => [m.accountId, m.abilities, responsible(m)]),
      [[P, ['CAN_RECEIVE_RESULTS'], true], [Q, ['CAN_QUERY'], false]]);
    await expectValidation(p.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' }),
      'INVALID_CONFIGURATION');
    const mp = (await p.createMembership({
      collaborationIdentifier: col.id, queryLogStatus: 'DISABLED', paymentConfiguration: { queryCompute: { isResponsible: true } },
    })).membership;
    assert.deepEqual(mp.memberAbilities, ['CAN_RECEIVE_RESULTS']);
    assert.deepEqual(mp.paymentConfiguration, { queryCompute: { isResponsible: true } });
    const mq = (await q.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' })).membership;
    assert.deepEqual(mq.paymentConfiguration, { queryCompute: { isResponsible: false } });
    await p.deleteCollaboration({ collaborationIdentifier: col.id });
  });

  it('a creator who can query pays by default and may join without paymentConfiguration', async () => {
    const [P, Q] = [newAccount(), newAccount()];
    const p = clientFor(P);
    const col = (await p.createCollaboration(collaborationInput({
      creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
      members: [member(Q, 'Provider', [])],
    }))).collaboration;
    assert.deepEqual((await allMembers(p, col.id)).map(responsible), [true, false]);
    const mp = (await p.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' })).membership;
    assert.deepEqual(mp.paymentConfiguration, { queryCompute: { isResponsible: true } });
    await p.deleteCollaboration({ collaborationIdentifier: col.id });
  });

  it('without a querier nobody pays and everybody joins without paymentConfiguration', async () => {
    const [P, Q] = [newAccount(), newAccount()];
    const [p, q] = [P, Q].map((x) => clientFor(x));
    const col = (await p.createCollaboration(collaborationInput({ members: [member(Q, 'Provider', [])] }))).collaboration;
    assert.deepEqual((await allMembers(p, col.id)).map(responsible), [false, false]);
    await p.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' });
    await q.createMembership({ collaborationIdentifier: col.id, queryLogStatus: 'DISABLED' });
    await p.deleteCollaboration({ collaborationIdentifier: col.id });
  });

  it('two payers, or an explicit false for the querier with no other payer → INVALID_CONFIGURATION', async () => {
    const [P, Q, R] = [newAccount(), newAccount(), newAccount()];
    const p = clientFor(P);
    await expectValidation(p.createCollaboration(collaborationInput({
      creatorPaymentConfiguration: { queryCompute: { isResponsible: true } },
      members: [member(Q, 'Querier', ['CAN_QUERY'], { paymentConfiguration: { queryCompute: { isResponsible: true } } })],
    })), 'INVALID_CONFIGURATION');
    await expectValidation(p.createCollaboration(collaborationInput({
      members: [
        member(Q, 'Querier', ['CAN_QUERY'], { paymentConfiguration: { queryCompute: { isResponsible: false } } }),
        member(R, 'Provider', [], { paymentConfiguration: { queryCompute: { isResponsible: false } } }),
      ],
    })), 'INVALID_CONFIGURATION');
    assert.deepEqual(await allCollaborations(p), [], 'nothing was created');
  });
});

describe('regions', () => {
  it('a collaboration lives in the region of the request', async () => {
    const P = newAccount();
    const eu = clientFor(P, 'eu-west-1');
    const us = clientFor(P, REGION);
    const col = (await eu.createCollaboration(collaborationInput())).collaboration;
    assert.equal(col.arn, `arn:aws:cleanrooms:eu-west-1:${P}:collaboration/${col.id}`);
    assert.deepEqual((await allCollaborations(eu)).map((s) => s.id), [col.id]);
    assert.deepEqual(await allCollaborations(us), []);
    await expectError(us.getCollaboration({ collaborationIdentifier: col.id }), 'AccessDeniedException', 403);
    assertOk(await eu.deleteCollaboration({ collaborationIdentifier: col.id }), 204);
  });
});

describe('pagination through the SDK paginators', () => {
  const step = scenario();
  const P = newAccount();
  const p = clientFor(P);
  const creators = [newAccount(), newAccount()];
  const expected = new Set();
  const joined = [];
  let big; // a collaboration with the maximum 5 invitees

  step('two creators invite P to 5 collaborations each; P creates 3 of its own', async () => {
    for (const X of creators) {
      const x = clientFor(X);
      for (let i = 0; i < 5; i++) {
        const col = (await x.createCollaboration(collaborationInput({
          name: `page-${X}-${i}`, creatorDisplayName: `Creator ${X}`, members: [member(P, 'Pager', [])],
        }))).collaboration;
        expected.add(col.id);
      }
    }
    for (let i = 0; i < 3; i++) {
      expected.add((await p.createCollaboration(collaborationInput({ name: `own-${i}` }))).collaboration.id);
    }
    for (const id of [...expected].slice(0, 2)) {
      joined.push((await p.createMembership({ collaborationIdentifier: id, queryLogStatus: 'DISABLED' })).membership);
    }
  });

  step('ListCollaborations with maxResults 2: no duplicates, no gaps, newest first', async () => {
    const pages = [];
    for await (const page of paginateListCollaborations({ client: p, pageSize: 2 }, {})) {
      assertOk(page);
      pages.push(page);
    }
    const ids = pages.flatMap((pg) => pg.collaborationList.map((s) => s.id));
    assert.equal(ids.length, expected.size, 'item count');
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.deepEqual(new Set(ids), expected, 'no gaps');
    for (const pg of pages) {
      assert.ok(pg.collaborationList.length <= 2, 'page size honoured');
      assert.ok(pg.collaborationList.length >= 1, 'no empty pages');
    }
    for (const pg of pages.slice(0, -1)) assert.equal(typeof pg.nextToken, 'string');
    assert.equal(pages.at(-1).nextToken, undefined, 'the last page has no nextToken');
    const times = pages.flatMap((pg) => pg.collaborationList.map((s) => s.createTime.getTime()));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], 'createTime descending');
    // one big page gives the same order
    const single = await p.listCollaborations({ maxResults: 100 });
    assert.deepEqual(single.collaborationList.map((s) => s.id), ids);
    assert.equal(single.nextToken, undefined);
  });

  step('filters apply before paging', async () => {
    const active = await allCollaborations(p, { memberStatus: 'ACTIVE' }, 1);
    assert.deepEqual(new Set(active.map((s) => s.id)), new Set(joined.map((m) => m.collaborationId)));
    const invited = await allCollaborations(p, { memberStatus: 'INVITED' }, 2);
    assert.equal(invited.length, expected.size - joined.length);
    assert.ok(invited.every((s) => s.memberStatus === 'INVITED'));
  });

  step('ListMemberships pages one at a time', async () => {
    const ids = [];
    for await (const page of paginateListMemberships({ client: p, pageSize: 1 }, {})) {
      assert.ok(page.membershipSummaries.length <= 1);
      ids.push(...page.membershipSummaries.map((s) => s.id));
    }
    assert.deepEqual(new Set(ids), new Set(joined.map((m) => m.id)));
    assert.equal(ids.length, joined.length);
  });

  step('ListMembers pages keep creator-first, invitation order', async () => {
    const invitees = [newAccount(), newAccount(), newAccount(), newAccount(), newAccount()];
    big = (await p.createCollaboration(collaborationInput({
      name: 'five-invitees', members: invitees.map((x, i) => member(x, `Invitee ${i}`, [])),
    }))).collaboration;
    const order = [];
    let pages = 0;
    for await (const page of paginateListMembers({ client: p, pageSize: 2 }, { collaborationIdentifier: big.id })) {
      assert.ok(page.memberSummaries.length <= 2);
      order.push(...page.memberSummaries.map((m) => m.accountId));
      pages++;
    }
    assert.deepEqual(order, [P, ...invitees]);
    assert.equal(pages, 3);
  });

  step('clean-up: delete what this scenario created', async () => {
    for (const X of creators) {
      const x = clientFor(X);
      for (const s of await allCollaborations(x)) await x.deleteCollaboration({ collaborationIdentifier: s.id });
    }
    for (const s of await allCollaborations(p)) {
      if (s.creatorAccountId === P) await p.deleteCollaboration({ collaborationIdentifier: s.id });
    }
    assert.deepEqual(await allCollaborations(p), []);
  });
});
