// v.widgets: the options a shop passes are checked at the call, with a clear error, before
// any chunk is loaded (the components themselves run in Chromium: tests/browser/widgets.test.mjs).
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {fresh} from './helpers.mjs';

test('widgets.configure accepts the documented options and keeps them', async () => {
  const v = await fresh();
  const lookup = () => null;
  v.widgets.configure({lookup, itemUrl: '/p/{id}', currency: 'EUR'});
  v.widgets.configure({texts: {de: {title_recent: 'Zuletzt gesehen'}}, dataLayer: false});
  const options = v.widgets.options;
  assert.equal(options.lookup, lookup);
  assert.equal(options.itemUrl, '/p/{id}');
  assert.equal(options.currency, 'EUR');
  assert.deepEqual(options.texts, {de: {title_recent: 'Zuletzt gesehen'}});
  assert.equal(options.dataLayer, false);
  await v.close();
});

test('widgets options are validated with a clear error', async () => {
  const v = await fresh();
  const bad = [
    [null, /must be an object/],
    [{lookup: 'catalog.json'}, /lookup must be a function/],
    [{itemUrl: '/p/'}, /itemUrl must be a URL pattern containing \{id\}/],
    [{imageUrl: 42}, /imageUrl must be a URL pattern/],
    [{currency: 'euro'}, /currency must be an ISO 4217 code/],
    [{texts: {de: {title_recent: 1}}}, /texts must be/],
    [{texts: {de: null}}, /texts must be/],
    [{dataLayer: 'yes'}, /dataLayer must be true or false/],
    [{looksup: () => null}, /unknown widgets option 'looksup'/],
  ];
  for (const [options, message] of bad) {
    assert.throws(
        () => v.widgets.configure(options),
        (e) => e.code === 'invalid_argument' && message.test(e.message), JSON.stringify(options));
  }
  // A refused call changes nothing.
  assert.deepEqual(v.widgets.options, {});
  await v.close();
});
