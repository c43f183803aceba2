// Collaboration change requests through the official JS SDK: adding members after creation on the
// auto-approved and the manual path, votes, DENY, CANCEL, ability grants and revokes, editing the
// auto-approval settings, the error paths, and the events of a request's life read back with
// `cleanroomsd events`. Reference: shared/spec/SPEC.md sections 6, 14, 16.4, 18, 22 (Q16, Q17).
// Needs CLEANROOMSD_DATA_DIR (the server's data directory) for the events tool; CLEANROOMSD_BIN
// names the binary (default build/cleanroomsd).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe } from 'node:test';
import { call, assertError, assertValidation } from '../http/wire.mjs';
import {
  UUID_RE, assertOk, assertTimestamp, clientFor, collaborationInput, expectError, expectValidation, member, newAccount,
} from './helpers.mjs';
import { scenario } from './steps.mjs';

const BIN = process.env.CLEANROOMSD_BIN ?? 'build/cleanroomsd';

const addMember = (accountId, displayName, memberAbilities = []) => ({
  specificationType: 'MEMBER',
  specification: { member: { accountId, memberAbilities, ...(displayName ? { displayName } : {}) } },
});
const setAbilities = (accountId, memberAbilities) => ({
  specificationType: 'MEMBER', specification: { member: { accountId, memberAbilities } },
});
const editAutoApproval = (autoApprovedChangeTypes) => ({
  specificationType: 'COLLABORATION', specification: { collaboration: { autoApprovedChangeTypes } },
});
// The Change the API answers for a ChangeInput, with its computed types.
const withTypes = (input, ...types) => ({ ...input, types });

// Every event of the collaboration's stream, in log order.
function eventsOf(cid) {
  const dataDir = process.env.CLEANROOMSD_DATA_DIR;
  assert.ok(dataDir, 'set CLEANROOMSD_DATA_DIR to the server\'s data directory');
  const out = execFileSync(BIN, ['events', '--data-dir', dataDir, '--json', '--collaboration', cid], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

async function membersOf(client, cid) {
  return assertOk(await client.listMembers({ collaborationIdentifier: cid })).memberSummaries;
}

function assertRequest(r, { cid, status, auto = false, changes, approvals }) {
  assert.match(r.id, UUID_RE);
  assert.equal(r.collaborationId, cid);
  assert.equal(r.status, status);
  assert.equal(r.isAutoApproved, auto);
  assertTimestamp(r.createTime, 'createTime');
  assertTimestamp(r.updateTime, 'updateTime');
  if (changes) assert.deepEqual(r.changes, changes);
  assert.deepEqual(r.approvals, approvals, `approvals of ${r.id}`);
}

describe('auto-approved ADD_MEMBER: the creator adds a member that is INVITED at once', () => {
  const step = scenario();
  const [A, B, C] = [newAccount(), newAccount(), newAccount()];
  const [a, b, c] = [A, B, C].map((acct) => clientFor(acct));
  let collab, req;

  step('A creates a collaboration auto-approving ADD_MEMBER, with B; A joins', async () => {
    collab = assertOk(await a.createCollaboration(collaborationInput({
      name: 'auto add', members: [member(B, 'Bravo')], autoApprovedChangeRequestTypes: ['ADD_MEMBER'],
    }))).collaboration;
    assert.deepEqual(collab.autoApprovedChangeTypes, ['ADD_MEMBER']);
    assertOk(await a.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }));
  });

  step('A adds C by change request: COMMITTED at once, isAutoApproved, no approvals', async () => {
    const input = addMember(C, 'Charlie', ['CAN_RECEIVE_RESULTS']);
    req = assertOk(await a.createCollaborationChangeRequest({ collaborationIdentifier: collab.id, changes: [input] }))
      .collaborationChangeRequest;
    assertRequest(req, {
      cid: collab.id, status: 'COMMITTED', auto: true, changes: [withTypes(input, 'ADD_MEMBER')], approvals: undefined,
    });
    assert.equal(req.updateTime.getTime(), req.createTime.getTime());
    const got = assertOk(await a.getCollaborationChangeRequest({ collaborationIdentifier: collab.id, changeRequestIdentifier: req.id }));
    assert.deepEqual(got.collaborationChangeRequest, req);
  });

  step('C is an INVITED member that pays for nothing, sees the collaboration and the request', async () => {
    const c1 = (await membersOf(a, collab.id)).find((m) => m.accountId === C);
    assert.ok(c1, 'C is listed');
    assert.equal(c1.status, 'INVITED');
    assert.equal(c1.displayName, 'Charlie');
    assert.deepEqual(c1.abilities, ['CAN_RECEIVE_RESULTS']);
    assert.equal(c1.paymentConfiguration.queryCompute.isResponsible, false);
    assert.equal(c1.membershipId, undefined);
    assert.equal(assertOk(await c.getCollaboration({ collaborationIdentifier: collab.id })).collaboration.memberStatus, 'INVITED');
    const list = assertOk(await c.listCollaborationChangeRequests({ collaborationIdentifier: collab.id }));
    assert.deepEqual(list.collaborationChangeRequestSummaries.map((s) => s.id), [req.id]);
    assert.deepEqual(list.collaborationChangeRequestSummaries[0], req);
  });

  step('C joins with CreateMembership and is ACTIVE in ListMembers', async () => {
    const ms = assertOk(await c.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' })).membership;
    assert.equal(ms.status, 'ACTIVE');
    assert.deepEqual(ms.memberAbilities, ['CAN_RECEIVE_RESULTS']);
    const c1 = (await membersOf(b, collab.id)).find((m) => m.accountId === C);
    assert.equal(c1.status, 'ACTIVE');
    assert.equal(c1.membershipId, ms.id);
  });

  step('the members quota: four more would make six invitees (402)', async () => {
    const err = await expectError(a.createCollaborationChangeRequest({
      collaborationIdentifier: collab.id,
      changes: [newAccount(), newAccount(), newAccount(), newAccount()].map((x) => addMember(x, 'More')),
    }), 'ServiceQuotaExceededException', 402);
    assert.equal(err.quotaName, 'Members invited per collaboration');
    assert.equal(err.quotaValue, 5);
  });

  step('the log holds Created, MemberInvited and Committed in one append', async () => {
    const evs = eventsOf(collab.id);
    const i = evs.findIndex((e) => e.type === 'ChangeRequestCreated' && e.payload.changeRequestId === req.id);
    assert.ok(i >= 0, 'ChangeRequestCreated is in the log');
    assert.deepEqual(evs.slice(i, i + 3).map((e) => e.type), ['ChangeRequestCreated', 'MemberInvited', 'ChangeRequestCommitted']);
    assert.equal(evs[i].payload.isAutoApproved, true);
    assert.equal(evs[i + 1].payload.member.accountId, C);
    assert.equal(evs[i + 2].payload.changeRequestId, req.id);
    assert.equal(new Set(evs.slice(i, i + 3).map((e) => e.requestId)).size, 1, 'one request, one append');
  });
});

describe('manual change requests: votes, DENY, CANCEL, grants, auto-approval edits, errors', () => {
  const step = scenario();
  const [A, B, C, D, E, X] = [newAccount(), newAccount(), newAccount(), newAccount(), newAccount(), newAccount()];
  const [a, b, c, d, e, x] = [A, B, C, D, E, X].map((acct) => clientFor(acct));
  let collab, r1;
  const create = (client, changes) => client.createCollaborationChangeRequest({ collaborationIdentifier: collab.id, changes });
  const update = (client, id, action) =>
    client.updateCollaborationChangeRequest({ collaborationIdentifier: collab.id, changeRequestIdentifier: id, action });
  const get = async (client, id) => assertOk(await client.getCollaborationChangeRequest({
    collaborationIdentifier: collab.id, changeRequestIdentifier: id,
  })).collaborationChangeRequest;
  const ok = async (p) => assertOk(await p).collaborationChangeRequest;
  // Every listed voter approves; the last vote makes the request APPROVED.
  async function approveAll(id, voters) {
    let r;
    for (const v of voters) r = await ok(update(v, id, 'APPROVE'));
    assert.equal(r.status, 'APPROVED');
    return r;
  }

  step('A creates a collaboration with B and C (no auto-approval); all three join', async () => {
    collab = assertOk(await a.createCollaboration(collaborationInput({
      name: 'manual changes', creatorMemberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
      members: [member(B, 'Bravo'), member(C, 'Charlie')],
    }))).collaboration;
    assert.equal(collab.autoApprovedChangeTypes, undefined);
    for (const client of [a, b, c])
      assertOk(await client.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }));
  });

  step('only the creator creates requests (403); outsiders see nothing (403)', async () => {
    await expectError(create(b, [addMember(D, 'Delta')]), 'AccessDeniedException', 403);
    await expectError(create(x, [addMember(D, 'Delta')]), 'AccessDeniedException', 403);
    await expectError(x.listCollaborationChangeRequests({ collaborationIdentifier: collab.id }), 'AccessDeniedException', 403);
    assert.deepEqual(assertOk(await a.listCollaborationChangeRequests({ collaborationIdentifier: collab.id }))
      .collaborationChangeRequestSummaries, []);
  });

  step('invalid requests: shape (FIELD_VALIDATION_FAILED) and content (INVALID_CONFIGURATION)', async () => {
    await expectValidation(create(a, []), 'FIELD_VALIDATION_FAILED', ['changes']);
    await expectValidation(create(a, Array.from({ length: 11 }, () => addMember(D, 'Delta'))), 'FIELD_VALIDATION_FAILED', ['changes']);
    await expectValidation(create(a, [addMember('12345', 'Short')]), 'FIELD_VALIDATION_FAILED',
      ['changes.0.specification.member.accountId']);
    await expectValidation(create(a, [{ specificationType: 'TEAM', specification: { member: { accountId: D, memberAbilities: [] } } }]),
      'FIELD_VALIDATION_FAILED', ['changes.0.specificationType']);
    await expectValidation(create(a, [addMember(D, 'Delta', ['CAN_FLY'])]), 'FIELD_VALIDATION_FAILED',
      ['changes.0.specification.member.memberAbilities.0']);
    await expectValidation(create(a, [editAutoApproval(['EVERYTHING'])]), 'FIELD_VALIDATION_FAILED',
      ['changes.0.specification.collaboration.autoApprovedChangeTypes.0']);
    // CAN_QUERY cannot be requested; a new member needs a displayName; B is a member already with
    // exactly these abilities (nothing to change); the type must name the union member sent.
    await expectValidation(create(a, [addMember(D, 'Delta', ['CAN_QUERY'])]), 'INVALID_CONFIGURATION');
    await expectValidation(create(a, [addMember(D)]), 'INVALID_CONFIGURATION');
    await expectValidation(create(a, [addMember(B, 'Bravo')]), 'INVALID_CONFIGURATION');
    await expectValidation(create(a, [{ ...addMember(D, 'Delta'), specificationType: 'COLLABORATION' }]), 'INVALID_CONFIGURATION');
    await expectValidation(create(a, [editAutoApproval([])]), 'INVALID_CONFIGURATION');
    // Unions with two members, or none, only raw HTTP can send.
    const path = `/collaborations/${collab.id}/changeRequests`;
    const both = await call('POST', path, { account: A, body: { changes: [{
      specificationType: 'MEMBER',
      specification: { member: { accountId: D, memberAbilities: [] }, collaboration: { autoApprovedChangeTypes: [] } },
    }] } });
    assertValidation(both, ['changes.0.specification']);
    const none = await call('POST', path, { account: A, body: { changes: [{ specificationType: 'MEMBER', specification: {} }] } });
    assertValidation(none, ['changes.0.specification']);
    const badAction = await call('PATCH', `${path}/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, {
      account: A, body: { action: 'MAYBE' },
    });
    assertValidation(badAction, ['action']);
    assert.deepEqual(assertOk(await a.listCollaborationChangeRequests({ collaborationIdentifier: collab.id }))
      .collaborationChangeRequestSummaries, [], 'nothing was created');
  });

  step('A asks to add D: PENDING with a PENDING vote for B and C', async () => {
    const input = addMember(D, 'Delta');
    r1 = await ok(create(a, [input]));
    assertRequest(r1, {
      cid: collab.id, status: 'PENDING', changes: [withTypes(input, 'ADD_MEMBER')],
      approvals: { [B]: { status: 'PENDING' }, [C]: { status: 'PENDING' } },
    });
    assert.deepEqual(await get(b, r1.id), r1);
  });

  step('a second request for D conflicts; COMMIT on PENDING conflicts; the creator cannot vote', async () => {
    const err = await expectError(create(a, [addMember(D, 'Delta again')]), 'ConflictException', 409);
    assert.equal(err.reason, 'INVALID_STATE');
    assert.equal(err.resourceId, r1.id);
    assert.equal((await expectError(update(a, r1.id, 'COMMIT'), 'ConflictException', 409)).reason, 'INVALID_STATE');
    await expectError(update(a, r1.id, 'APPROVE'), 'AccessDeniedException', 403);
    await expectError(update(b, r1.id, 'CANCEL'), 'AccessDeniedException', 403);
  });

  step('unknown request ids are 404 COLLABORATION inside a visible collaboration', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    for (const send of [
      () => a.getCollaborationChangeRequest({ collaborationIdentifier: collab.id, changeRequestIdentifier: unknown }),
      () => update(b, unknown, 'APPROVE'),
    ]) {
      const err = await expectError(send(), 'ResourceNotFoundException', 404);
      assert.equal(err.resourceType, 'COLLABORATION');
      assert.equal(err.resourceId, unknown);
    }
    await expectError(x.getCollaborationChangeRequest({ collaborationIdentifier: collab.id, changeRequestIdentifier: r1.id }),
      'AccessDeniedException', 403);
  });

  step('B approves: still PENDING; a second vote by B is 409', async () => {
    const r = await ok(update(b, r1.id, 'APPROVE'));
    assert.equal(r.status, 'PENDING');
    assert.deepEqual(r.approvals, { [B]: { status: 'APPROVED' }, [C]: { status: 'PENDING' } });
    assert.ok(r.updateTime >= r1.createTime);
    const err = await expectError(update(b, r1.id, 'APPROVE'), 'ConflictException', 409);
    assert.equal(err.reason, 'INVALID_STATE');
    await expectError(update(b, r1.id, 'DENY'), 'ConflictException', 409);
  });

  step('C approves: APPROVED; A commits: COMMITTED and D is INVITED', async () => {
    const approved = await ok(update(c, r1.id, 'APPROVE'));
    assert.equal(approved.status, 'APPROVED');
    assert.deepEqual(approved.approvals, { [B]: { status: 'APPROVED' }, [C]: { status: 'APPROVED' } });
    const committed = await ok(update(a, r1.id, 'COMMIT'));
    assert.equal(committed.status, 'COMMITTED');
    assert.equal(committed.isAutoApproved, false);
    const d1 = (await membersOf(a, collab.id)).find((m) => m.accountId === D);
    assert.ok(d1, 'D is listed');
    assert.equal(d1.status, 'INVITED');
    assert.equal(d1.displayName, 'Delta');
    assert.deepEqual(d1.abilities, []);
    assert.ok(d1.createTime >= committed.createTime, 'createTime of an added member is its commit time');
    await expectError(update(a, r1.id, 'COMMIT'), 'ConflictException', 409);
    await expectError(update(a, r1.id, 'CANCEL'), 'ConflictException', 409);
  });

  step('the life of the request reads back in order from the log', async () => {
    const evs = eventsOf(collab.id);
    const first = evs.findIndex((ev) => ev.type === 'ChangeRequestCreated' && ev.payload.changeRequestId === r1.id);
    const last = evs.findIndex((ev) => ev.type === 'ChangeRequestCommitted' && ev.payload.changeRequestId === r1.id);
    assert.ok(first >= 0 && last > first, 'Created and Committed are in the log');
    const life = evs.slice(first, last + 1)
      .filter((ev) => ev.payload.changeRequestId === r1.id || (ev.type === 'MemberInvited' && ev.payload.member.accountId === D));
    assert.deepEqual(life.map((ev) => ev.type), [
      'ChangeRequestCreated', 'ChangeRequestVoted', 'ChangeRequestVoted', 'ChangeRequestApproved', 'MemberInvited',
      'ChangeRequestCommitted',
    ]);
    assert.deepEqual(life[0].payload.approvers, [B, C]);
    assert.equal(life[0].payload.status, 'PENDING');
    assert.deepEqual(life.slice(1, 3).map((ev) => [ev.payload.accountId, ev.payload.vote, ev.account]),
      [[B, 'APPROVE', B], [C, 'APPROVE', C]]);
    assert.equal(life[4].requestId, life[5].requestId, 'MemberInvited and Committed in one append');
  });

  step('D joins and is ACTIVE; it can read the request that added it', async () => {
    assertOk(await d.createMembership({ collaborationIdentifier: collab.id, queryLogStatus: 'DISABLED' }));
    assert.equal((await membersOf(a, collab.id)).find((m) => m.accountId === D).status, 'ACTIVE');
    assert.equal((await get(d, r1.id)).status, 'COMMITTED');
  });

  let r2, r3;
  step('DENY: C denies a request to add E, which is DENIED at once', async () => {
    r2 = await ok(create(a, [addMember(E, 'Echo')]));
    assert.deepEqual(r2.approvals, { [B]: { status: 'PENDING' }, [C]: { status: 'PENDING' }, [D]: { status: 'PENDING' } });
    const denied = await ok(update(c, r2.id, 'DENY'));
    assert.equal(denied.status, 'DENIED');
    assert.deepEqual(denied.approvals, { [B]: { status: 'PENDING' }, [C]: { status: 'DENIED' }, [D]: { status: 'PENDING' } });
    assert.equal((await expectError(update(b, r2.id, 'APPROVE'), 'ConflictException', 409)).reason, 'INVALID_STATE');
    assert.equal((await membersOf(a, collab.id)).find((m) => m.accountId === E), undefined);
  });

  step('CANCEL: A cancels a new request to add E (a DENIED one does not block it)', async () => {
    r3 = await ok(create(a, [addMember(E, 'Echo')]));
    assert.equal(r3.status, 'PENDING');
    await expectError(update(d, r3.id, 'CANCEL'), 'AccessDeniedException', 403);
    const cancelled = await ok(update(a, r3.id, 'CANCEL'));
    assert.equal(cancelled.status, 'CANCELLED');
    await expectError(update(b, r3.id, 'APPROVE'), 'ConflictException', 409);
  });

  step('GRANT_RECEIVE_RESULTS_ABILITY for B: ListMembers and B\'s membership show it', async () => {
    const input = setAbilities(B, ['CAN_RECEIVE_RESULTS']);
    const r = await ok(create(a, [input]));
    assert.deepEqual(r.changes, [withTypes(input, 'GRANT_RECEIVE_RESULTS_ABILITY')]);
    await approveAll(r.id, [b, c, d]);
    assert.equal((await ok(update(a, r.id, 'COMMIT'))).status, 'COMMITTED');
    assert.deepEqual((await membersOf(c, collab.id)).find((m) => m.accountId === B).abilities, ['CAN_RECEIVE_RESULTS']);
    const mid = (await membersOf(b, collab.id)).find((m) => m.accountId === B).membershipId;
    const ms = assertOk(await b.getMembership({ membershipIdentifier: mid })).membership;
    assert.deepEqual(ms.memberAbilities, ['CAN_RECEIVE_RESULTS']);
  });

  step('REVOKE_RECEIVE_RESULTS_ABILITY for B takes it away again', async () => {
    const input = setAbilities(B, []);
    const r = await ok(create(a, [input]));
    assert.deepEqual(r.changes, [withTypes(input, 'REVOKE_RECEIVE_RESULTS_ABILITY')]);
    await approveAll(r.id, [b, c, d]);
    await ok(update(a, r.id, 'COMMIT'));
    const b1 = (await membersOf(a, collab.id)).find((m) => m.accountId === B);
    assert.deepEqual(b1.abilities, []);
    const ms = assertOk(await b.getMembership({ membershipIdentifier: b1.membershipId })).membership;
    assert.deepEqual(ms.memberAbilities, []);
  });

  let r7;
  step('EDIT_AUTO_APPROVED_CHANGE_TYPES is voted on; afterwards ADD_MEMBER commits at once', async () => {
    const input = editAutoApproval(['ADD_MEMBER']);
    const r = await ok(create(a, [input]));
    assertRequest(r, {
      cid: collab.id, status: 'PENDING', changes: [withTypes(input, 'EDIT_AUTO_APPROVED_CHANGE_TYPES')],
      approvals: { [B]: { status: 'PENDING' }, [C]: { status: 'PENDING' }, [D]: { status: 'PENDING' } },
    });
    await expectError(create(a, [editAutoApproval(['GRANT_RECEIVE_RESULTS_ABILITY'])]), 'ConflictException', 409);
    await approveAll(r.id, [b, c, d]);
    await ok(update(a, r.id, 'COMMIT'));
    const got = assertOk(await b.getCollaboration({ collaborationIdentifier: collab.id })).collaboration;
    assert.deepEqual(got.autoApprovedChangeTypes, ['ADD_MEMBER']);
    r7 = await ok(create(a, [addMember(E, 'Echo')]));
    assert.equal(r7.status, 'COMMITTED');
    assert.equal(r7.isAutoApproved, true);
    assert.equal((await membersOf(a, collab.id)).find((m) => m.accountId === E).status, 'INVITED');
  });

  step('ListCollaborationChangeRequests: newest first, status filter before paging, pages of one', async () => {
    const all = assertOk(await b.listCollaborationChangeRequests({ collaborationIdentifier: collab.id }))
      .collaborationChangeRequestSummaries;
    assert.equal(all.length, 7);
    assert.equal(all[0].id, r7.id);
    assert.equal(all[all.length - 1].id, r1.id);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].createTime >= all[i].createTime, 'newest first');
    assert.deepEqual(all[all.length - 1], await get(b, r1.id), 'summaries carry the full object');
    const committed = assertOk(await b.listCollaborationChangeRequests({ collaborationIdentifier: collab.id, status: 'COMMITTED' }))
      .collaborationChangeRequestSummaries;
    assert.equal(committed.length, 5);
    assert.ok(committed.every((s) => s.status === 'COMMITTED'));
    const denied = assertOk(await b.listCollaborationChangeRequests({ collaborationIdentifier: collab.id, status: 'DENIED', maxResults: 1 }));
    assert.deepEqual(denied.collaborationChangeRequestSummaries.map((s) => s.id), [r2.id]);
    assert.equal(denied.nextToken, undefined);
    const ids = [];
    let nextToken;
    for (let pages = 0; pages < 20; pages++) {
      const page = assertOk(await b.listCollaborationChangeRequests({ collaborationIdentifier: collab.id, maxResults: 1, nextToken }));
      assert.equal(page.collaborationChangeRequestSummaries.length, 1);
      ids.push(page.collaborationChangeRequestSummaries[0].id);
      nextToken = page.nextToken;
      if (!nextToken) break;
    }
    assert.deepEqual(ids, all.map((s) => s.id));
    await expectValidation(b.listCollaborationChangeRequests({ collaborationIdentifier: collab.id, status: 'OPEN' }),
      'FIELD_VALIDATION_FAILED', ['status']);
  });

  let r8;
  step('DeleteMember drops the removed voter\'s pending vote: the request becomes APPROVED', async () => {
    r8 = await ok(create(a, [setAbilities(C, ['CAN_RECEIVE_RESULTS'])]));
    assert.deepEqual(Object.keys(r8.approvals).sort(), [B, C, D].sort());
    await ok(update(b, r8.id, 'APPROVE'));
    await ok(update(c, r8.id, 'APPROVE'));
    assertOk(await a.deleteMember({ collaborationIdentifier: collab.id, accountId: D }), 204);
    const r = await get(a, r8.id);
    assert.equal(r.status, 'APPROVED');
    assert.deepEqual(r.approvals, { [B]: { status: 'APPROVED' }, [C]: { status: 'APPROVED' } });
    await expectError(d.getCollaborationChangeRequest({ collaborationIdentifier: collab.id, changeRequestIdentifier: r8.id }),
      'AccessDeniedException', 403);
    assert.equal((await ok(update(a, r8.id, 'COMMIT'))).status, 'COMMITTED');
    // a removed member is not added back
    await expectValidation(create(a, [addMember(D, 'Delta')]), 'INVALID_CONFIGURATION');
  });

  step('DeleteCollaboration cancels the open requests', async () => {
    const r9 = await ok(create(a, [setAbilities(E, ['CAN_RECEIVE_RESULTS'])]));
    assert.equal(r9.status, 'PENDING');
    assertOk(await a.deleteCollaboration({ collaborationIdentifier: collab.id }), 204);
    await expectError(a.getCollaborationChangeRequest({ collaborationIdentifier: collab.id, changeRequestIdentifier: r9.id }),
      'AccessDeniedException', 403);
    const evs = eventsOf(collab.id);
    const deleted = evs.findIndex((ev) => ev.type === 'CollaborationDeleted');
    const cancelled = evs.findIndex((ev) => ev.type === 'ChangeRequestCancelled' && ev.payload.changeRequestId === r9.id);
    assert.ok(deleted >= 0 && cancelled > deleted, 'ChangeRequestCancelled follows CollaborationDeleted');
    assert.equal(evs[cancelled].requestId, evs[deleted].requestId, 'in the same append');
  });

  step('raw HTTP: the error bodies are well formed', async () => {
    const res = await call('GET', `/collaborations/${collab.id}/changeRequests`, { account: A });
    assertError(res, 403, 'AccessDeniedException');
  });
});
