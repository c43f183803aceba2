// Validation and quota errors as the official JS SDK sees them. The SDK checks almost nothing
// client-side (it passes unknown enum values and over-long strings through), so every error here
// must come from the server. Reference: shared/spec/SPEC.md 2.2, 2.4, 2.5, 6, 18.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertOk, clientFor, collaborationArn, collaborationInput, expectError, expectValidation, member, newAccount,
} from './helpers.mjs';

const FIELD = 'FIELD_VALIDATION_FAILED';
const CONFIG = 'INVALID_CONFIGURATION';

describe('CreateCollaboration input validation', () => {
  const A = newAccount();
  const a = clientFor(A);

  it('an account id of 11 digits → FIELD_VALIDATION_FAILED naming the member\'s accountId', async () => {
    const err = await expectValidation(a.createCollaboration(collaborationInput({
      members: [member('12345678901', 'Short', [])],
    })), FIELD, [/^members\.\d+\.accountId$/]);
    assert.equal(typeof err.message, 'string');
  });

  it('an account id with letters → FIELD_VALIDATION_FAILED', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({
      members: [member('12345678901x', 'Letters', [])],
    })), FIELD, [/^members\.\d+\.accountId$/]);
  });

  it('the same account invited twice → INVALID_CONFIGURATION', async () => {
    const B = newAccount();
    await expectValidation(a.createCollaboration(collaborationInput({
      members: [member(B, 'One', []), member(B, 'Two', [])],
    })), CONFIG);
  });

  it('the caller listing itself among the members → INVALID_CONFIGURATION', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({ members: [member(A, 'Me', [])] })), CONFIG);
  });

  it('two members holding CAN_QUERY → INVALID_CONFIGURATION', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({
      members: [member(newAccount(), 'Q1', ['CAN_QUERY']), member(newAccount(), 'Q2', ['CAN_QUERY'])],
    })), CONFIG);
    await expectValidation(a.createCollaboration(collaborationInput({
      creatorMemberAbilities: ['CAN_QUERY'],
      members: [member(newAccount(), 'Q2', ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'])],
    })), CONFIG);
  });

  it('the same ability twice in one list → INVALID_CONFIGURATION', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({
      members: [member(newAccount(), 'Twice', ['CAN_RECEIVE_RESULTS', 'CAN_RECEIVE_RESULTS'])],
    })), CONFIG);
  });

  it('unknown enum values → FIELD_VALIDATION_FAILED (the SDK passes them through)', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({ queryLogStatus: 'SOMETIMES' })), FIELD, ['queryLogStatus']);
    await expectValidation(a.createCollaboration(collaborationInput({ creatorMemberAbilities: ['CAN_FLY'] })), FIELD,
      [/^creatorMemberAbilities/]);
    await expectValidation(a.createCollaboration(collaborationInput({
      members: [member(newAccount(), 'Flyer', ['CAN_FLY'])],
    })), FIELD, [/^members\.\d+\.memberAbilities/]);
    await expectValidation(a.createCollaboration(collaborationInput({ analyticsEngine: 'PRESTO' })), FIELD, ['analyticsEngine']);
  });

  it('a name of 101 characters → FIELD_VALIDATION_FAILED on name; 100 is accepted', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({ name: 'n'.repeat(101) })), FIELD, ['name']);
    const ok = assertOk(await a.createCollaboration(collaborationInput({ name: 'n'.repeat(100) })));
    assert.equal(ok.collaboration.name.length, 100);
    await a.deleteCollaboration({ collaborationIdentifier: ok.collaboration.id });
  });

  it('blank and multi-line names, over-long descriptions → FIELD_VALIDATION_FAILED', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({ name: '   ' })), FIELD, ['name']);
    await expectValidation(a.createCollaboration(collaborationInput({ name: 'two\nlines' })), FIELD, ['name']);
    await expectValidation(a.createCollaboration(collaborationInput({ description: 'd'.repeat(256) })), FIELD, ['description']);
    await expectValidation(a.createCollaboration(collaborationInput({ creatorDisplayName: 'x'.repeat(101) })), FIELD,
      ['creatorDisplayName']);
  });

  it('every violated field is listed in one ValidationException', async () => {
    await expectValidation(a.createCollaboration(collaborationInput({
      name: 'n'.repeat(101), queryLogStatus: 'SOMETIMES', members: [member('123', 'Short', [])],
    })), FIELD, ['name', 'queryLogStatus', /^members\.\d+\.accountId$/]);
  });

  it('reserved tag keys and over-long tag keys → ValidationException', async () => {
    await expectError(a.createCollaboration(collaborationInput({ tags: { 'aws:owner': 'x' } })), 'ValidationException', 400);
    await expectError(a.createCollaboration(collaborationInput({ tags: { ['k'.repeat(129)]: 'x' } })), 'ValidationException', 400);
    await expectError(a.createCollaboration(collaborationInput({ tags: { k: 'v'.repeat(257) } })), 'ValidationException', 400);
  });

  it('nothing was created by the rejected requests', async () => {
    assert.deepEqual((await a.listCollaborations({})).collaborationList, []);
  });
});

describe('identifiers, list parameters and tokens', () => {
  const A = newAccount();
  const a = clientFor(A);
  const upper = '0F0F0F0F-0000-4000-8000-00000000000A';

  it('an upper-case UUID identifier → FIELD_VALIDATION_FAILED (not 403/404)', async () => {
    await expectValidation(a.getCollaboration({ collaborationIdentifier: upper }), FIELD, ['collaborationIdentifier']);
    await expectValidation(a.listMembers({ collaborationIdentifier: upper }), FIELD, ['collaborationIdentifier']);
    await expectValidation(a.getMembership({ membershipIdentifier: upper }), FIELD, ['membershipIdentifier']);
    await expectValidation(a.createMembership({ collaborationIdentifier: upper, queryLogStatus: 'DISABLED' }), FIELD,
      ['collaborationIdentifier']);
  });

  it('an identifier with extra text or an ARN in place of the id → FIELD_VALIDATION_FAILED', async () => {
    const id = '0f0f0f0f-0000-4000-8000-00000000000a';
    await expectValidation(a.getCollaboration({ collaborationIdentifier: `${id}x` }), FIELD, ['collaborationIdentifier']);
    await expectValidation(a.getCollaboration({ collaborationIdentifier: collaborationArn(A, id) }), FIELD,
      ['collaborationIdentifier']);
  });

  it('DeleteMember with an account id that is not 12 digits → FIELD_VALIDATION_FAILED', async () => {
    await expectValidation(a.deleteMember({ collaborationIdentifier: '0f0f0f0f-0000-4000-8000-00000000000a', accountId: '1234' }),
      FIELD, ['accountId']);
  });

  it('maxResults 0 and 101 → FIELD_VALIDATION_FAILED on maxResults; 1 and 100 are accepted', async () => {
    await expectValidation(a.listCollaborations({ maxResults: 0 }), FIELD, ['maxResults']);
    await expectValidation(a.listCollaborations({ maxResults: 101 }), FIELD, ['maxResults']);
    await expectValidation(a.listMemberships({ maxResults: 0 }), FIELD, ['maxResults']);
    await expectValidation(a.listMemberships({ maxResults: 101 }), FIELD, ['maxResults']);
    assertOk(await a.listCollaborations({ maxResults: 1 }));
    assertOk(await a.listCollaborations({ maxResults: 100 }));
  });

  it('filter values outside their enum → FIELD_VALIDATION_FAILED', async () => {
    // FilterableMemberStatus is INVITED | ACTIVE only
    await expectValidation(a.listCollaborations({ memberStatus: 'LEFT' }), FIELD, ['memberStatus']);
    await expectValidation(a.listMemberships({ status: 'LEFT' }), FIELD, ['status']);
  });

  it('a forged nextToken → FIELD_VALIDATION_FAILED on nextToken', async () => {
    await expectValidation(a.listCollaborations({ nextToken: 'forged' }), FIELD, ['nextToken']);
    const fake = Buffer.from(JSON.stringify({ op: 'ListCollaborations', after: 'zzz' })).toString('base64url');
    await expectValidation(a.listCollaborations({ nextToken: fake }), FIELD, ['nextToken']);
    await expectValidation(a.listMemberships({ nextToken: 'AAAAAAAAAAAAAAAAAAAAAAAA' }), FIELD, ['nextToken']);
  });

  it('a genuine token is bound to its operation and filter', async () => {
    const B = newAccount();
    const b = clientFor(B);
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push((await b.createCollaboration(collaborationInput({ name: `tok-${i}` }))).collaboration.id);
    }
    const first = await b.listCollaborations({ maxResults: 1 });
    assert.equal(first.collaborationList.length, 1);
    assert.equal(typeof first.nextToken, 'string');
    // the genuine token works where it was issued
    const second = assertOk(await b.listCollaborations({ maxResults: 1, nextToken: first.nextToken }));
    assert.notEqual(second.collaborationList[0].id, first.collaborationList[0].id);
    // ... but not for another operation, another filter, or after tampering
    await expectValidation(b.listMemberships({ nextToken: first.nextToken }), FIELD, ['nextToken']);
    await expectValidation(b.listMembers({ collaborationIdentifier: made[0], nextToken: first.nextToken }), FIELD,
      ['nextToken']);
    await expectValidation(b.listCollaborations({ maxResults: 1, memberStatus: 'ACTIVE', nextToken: first.nextToken }),
      FIELD, ['nextToken']);
    const t = first.nextToken;
    const i = Math.floor(t.length / 2);
    const tampered = t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    await expectValidation(b.listCollaborations({ maxResults: 1, nextToken: tampered }), FIELD, ['nextToken']);
    for (const id of made) await b.deleteCollaboration({ collaborationIdentifier: id });
  });

  it('tag operations validate the ARN and the keys', async () => {
    await expectError(a.listTagsForResource({ resourceArn: 'arn:aws:s3:::bucket' }), 'ValidationException', 400);
    await expectError(a.tagResource({ resourceArn: 'not-an-arn', tags: { k: 'v' } }), 'ValidationException', 400);
    const col = (await a.createCollaboration(collaborationInput())).collaboration;
    await expectError(a.tagResource({ resourceArn: col.arn, tags: { 'aws:reserved': 'v' } }), 'ValidationException', 400);
    await expectError(a.tagResource({ resourceArn: col.arn, tags: { ['k'.repeat(129)]: 'v' } }), 'ValidationException', 400);
    await expectError(a.untagResource({ resourceArn: col.arn, tagKeys: [] }), 'ValidationException', 400);
    assert.deepEqual((await a.listTagsForResource({ resourceArn: col.arn })).tags, {});
    await a.deleteCollaboration({ collaborationIdentifier: col.id });
  });
});

describe('quotas → ServiceQuotaExceededException (402)', () => {
  it('6 invited members exceed "Members invited per collaboration" (5); 5 are fine', async () => {
    const a = clientFor(newAccount());
    const six = Array.from({ length: 6 }, (_, i) => member(newAccount(), `M${i}`, []));
    const err = await expectError(a.createCollaboration(collaborationInput({ members: six })),
      'ServiceQuotaExceededException', 402);
    assert.equal(err.quotaName, 'Members invited per collaboration');
    assert.equal(err.quotaValue, 5);
    const ok = assertOk(await a.createCollaboration(collaborationInput({ members: six.slice(0, 5) })));
    await a.deleteCollaboration({ collaborationIdentifier: ok.collaboration.id });
  });

  it('the 11th collaboration of one account exceeds "Collaborations created per account" (10)', async () => {
    const a = clientFor(newAccount());
    const ids = [];
    for (let i = 0; i < 10; i++) {
      ids.push(assertOk(await a.createCollaboration(collaborationInput({ name: `quota-${i}` }))).collaboration.id);
    }
    const err = await expectError(a.createCollaboration(collaborationInput({ name: 'quota-10' })),
      'ServiceQuotaExceededException', 402);
    assert.equal(err.quotaName, 'Collaborations created per account');
    assert.equal(err.quotaValue, 10);
    assert.equal((await a.listCollaborations({})).collaborationList.length, 10);
    // the quota counts live collaborations: deleting one frees a slot
    await a.deleteCollaboration({ collaborationIdentifier: ids.pop() });
    ids.push(assertOk(await a.createCollaboration(collaborationInput({ name: 'quota-again' }))).collaboration.id);
    for (const id of ids) await a.deleteCollaboration({ collaborationIdentifier: id });
  });

  it('invitations do not count against the invitee\'s creation quota', async () => {
    const P = newAccount();
    const p = clientFor(P);
    const inviters = Array.from({ length: 11 }, () => newAccount());
    for (const X of inviters) await clientFor(X).createCollaboration(collaborationInput({ members: [member(P, 'Popular', [])] }));
    const own = assertOk(await p.createCollaboration(collaborationInput({ name: 'mine' })));
    await p.deleteCollaboration({ collaborationIdentifier: own.collaboration.id });
  });
});
