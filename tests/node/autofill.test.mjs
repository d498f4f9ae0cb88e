// v.autofill through the built package under Node (memory storage): the chunk and its wasm
// load from beside vitrine.mjs, consent gates every call, bad profiles are refused with the
// field named, good ones come back normalized, and the export carries them.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {DAY, fakeClock, fresh} from './helpers.mjs';

const PROFILE = {
  givenName: ' Ana ',
  familyName: 'Silva',
  email: 'Ana@Example.COM.BR',
  tel: '(11) 91234-5678',
  shipping: {
    line1: 'Av. Paulista 1000',
    city: 'São Paulo',
    region: 'São Paulo',
    postalCode: '01310100',
    country: 'Brasil'
  },
};

test('without the autofill purpose: save refuses, get and fill offer nothing', async () => {
  const v = await fresh();
  await assert.rejects(v.autofill.save(PROFILE), {code: 'permission_denied'});
  assert.equal(await v.autofill.get(), null);
  await v.consent.set({history: true, personalization: true, measurement: true});
  await assert.rejects(v.autofill.save(PROFILE), {code: 'permission_denied'});
  assert.throws(() => v.autofill.detect(), {code: 'failed_precondition'});
  await v.close();
});

test('save normalizes, get returns it, forget and withdrawal erase it, export has it', async () => {
  const v = await fresh();
  await v.consent.set({autofill: true});
  const saved = await v.autofill.save(PROFILE);
  const want = {
    givenName: 'Ana',
    familyName: 'Silva',
    email: 'Ana@example.com.br',
    tel: '+5511912345678',
    shipping: {
      line1: 'Av. Paulista 1000',
      city: 'São Paulo',
      region: 'BR-SP',
      postalCode: '01310-100',
      country: 'BR'
    },
  };
  assert.deepEqual(saved, want);
  assert.deepEqual(await v.autofill.get(), want);
  assert.deepEqual((await v.privacy.export()).savedDetails, [want]);
  await v.autofill.forget();
  assert.equal(await v.autofill.get(), null);
  await v.autofill.save(PROFILE);
  await v.consent.set({autofill: false});
  assert.equal(await v.autofill.get(), null);
  await v.consent.set({autofill: true});
  assert.equal(await v.autofill.get(), null, 'withdrawal erased it');
  await v.close();
});

test('bad profiles: invalid_argument naming the field, nothing stored', async () => {
  const v = await fresh();
  await v.consent.set({autofill: true});
  const cases = [
    [null, undefined],
    [{...PROFILE, email: 'nope'}, 'email'],
    [{...PROFILE, tel: '123'}, 'tel'],
    [{...PROFILE, shipping: {...PROFILE.shipping, postalCode: '123'}}, 'shipping.postalCode'],
    [{...PROFILE, shipping: {...PROFILE.shipping, country: 'Atlantis'}}, 'shipping.country'],
    [
      {...PROFILE, billing: {line1: 'x', city: 'y', postalCode: '1', country: 'DE'}},
      'billing.postalCode'
    ],
    [{...PROFILE, password: 'x'}, 'password'],
  ];
  for (const [profile, field] of cases) {
    await assert.rejects(v.autofill.save(profile), (e) => {
      assert.equal(e.code, 'invalid_argument');
      assert.equal(e.field, field);
      return true;
    }, JSON.stringify(profile));
  }
  assert.equal(await v.autofill.get(), null);
  await assert.rejects(v.autofill.fill({}), {code: 'invalid_argument'});
  await assert.rejects(v.autofill.fill(null), {code: 'invalid_argument'});
  await v.autofill.load();
  assert.throws(() => v.autofill.detect(5), {code: 'invalid_argument'});
  await v.close();
});

test('retention: details not saved for two years are deleted, younger ones kept', async () => {
  const now = fakeClock();
  const v = await fresh({now});
  await v.consent.set({autofill: true});
  await v.autofill.save(PROFILE);
  now.advance(729 * DAY);
  await v.privacy.enforceRetention();
  assert.equal((await v.autofill.get())?.familyName, 'Silva', 'kept inside its retention');
  await v.autofill.save({...PROFILE, familyName: 'Souza'});  // an edit restarts the clock
  now.advance(729 * DAY);
  await v.privacy.enforceRetention();
  assert.equal((await v.autofill.get())?.familyName, 'Souza');
  now.advance(2 * DAY);
  await v.privacy.enforceRetention();
  assert.equal(await v.autofill.get(), null);
  await v.privacy.enforceRetention();  // idempotent
  assert.equal(await v.autofill.get(), null);
  await v.close();
});
