// What the engine knows on this device: the browsing history (remove one product), the
// interests it inferred (remove one, restore it) and the segments it computes, each with
// why. Names are untrusted text: textContent only.
import {el, options, product} from '../shared.js';

import {explainSegments} from './segments-why.js';

// Shows one list, or its "empty" sentence when there is nothing in it. A render can come at
// any time (another tab's change): the control that had the focus keeps it in its new row.
function fill(list, empty, nodes) {
  const active = list.getRootNode().activeElement;
  const key = list.contains(active) ? active.closest('li')?.dataset.key : undefined;
  const part = active?.getAttribute?.('part');
  list.replaceChildren(...nodes);
  list.hidden = nodes.length === 0;
  if (empty) empty.hidden = nodes.length > 0;
  if (key === undefined) return;
  const same = list.querySelector(`li[data-key="${CSS.escape(key)}"] [part="${part}"]`);
  same?.focus();
}

// After a removal the focus goes to the same control of the next item (or the previous,
// or the section's heading), never to the page's body.
function keepFocus(list, li, selector, heading) {
  const key = (node) => node?.dataset.key;
  const next = key(li.nextElementSibling) ?? key(li.previousElementSibling);
  return () => {
    const target = next && list.querySelector(`li[data-key="${CSS.escape(next)}"] ${selector}`);
    (target ?? heading).focus();
  };
}

export function historySection(ctx) {
  const {t, v, fmt} = ctx;
  if (typeof v.privacy?.removeItem !== 'function') return null;
  const heading = ctx.heading(t('pc_history'));
  const note = el('p', {class: 'note', part: 'note'}, t('pc_knows_note'));
  const empty =
      el('p', {class: 'empty', part: 'empty', 'data-testid': 'privacy-history-empty'},
         t('pc_history_empty'));
  const list = el('ul', {part: 'history', 'data-testid': 'privacy-history'});
  list.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-remove-item]');
    if (!button || button.disabled) return;
    const li = button.closest('li');
    const name = li.querySelector('.name').textContent;
    const focus = keepFocus(list, li, 'button', heading.node);
    await ctx.act(
        () => v.privacy.removeItem(button.dataset.removeItem), {done: t('pc_removed', {name})});
    focus();
  });
  return {
    labelledBy: heading.id,
    node: [heading.node, note, empty, list],
    async render() {
      const rows = v.recentlyViewed({limit: 50, maxAgeDays: 3650});
      // The link comes from the shop's lookup or itemUrl; the name is what this device kept.
      const urls = options().lookup || options().itemUrl ?
          await Promise.all(rows.map(
              (row) => product(row.itemId, {name: row.name || row.itemId, price: row.price})
                           .then((p) => p?.url ?? null))) :
          rows.map(() => null);
      fill(list, empty, rows.map((row, i) => {
        const name = row.name || row.itemId;
        const meta = [
          row.category, fmt.count('pc_views', row.views),
          t('pc_last_seen', {time: fmt.time(row.lastSeen)})
        ].filter(Boolean).join(' · ');
        return el(
            'li', {part: 'history-item', 'data-item-id': row.itemId, 'data-key': row.itemId},
            el('span', {class: 'grow'},
               urls[i] ? el('a', {href: urls[i], class: 'name', part: 'item-name'}, name) :
                         el('span', {class: 'name', part: 'item-name'}, name),
               ' ', el('span', {class: 'meta', part: 'item-meta'}, meta)),
            el('button', {
              type: 'button',
              part: 'remove',
              'data-remove-item': row.itemId,
              'aria-label': t('pc_remove_label', {name}),
              disabled: ctx.busy(),
            },
               t('pc_remove')));
      }));
    },
  };
}

export function interestsSection(ctx) {
  const {t, v, fmt} = ctx;
  if (typeof v.privacy?.interests !== 'function') return null;
  const heading = ctx.heading(t('pc_interests'));
  const note = el('p', {class: 'note', part: 'note'}, t('pc_interests_note'));
  const empty =
      el('p', {class: 'empty', part: 'empty', 'data-testid': 'privacy-interests-empty'},
         t('pc_interests_empty'));
  const list = el('ul', {part: 'interests', 'data-testid': 'privacy-interests'});
  const removedHeading = ctx.heading(t('pc_removed_interests'), {sub: true});
  const removedList =
      el('ul', {part: 'removed-interests', 'data-testid': 'privacy-removed-interests'});
  const removed =
      el('div', {'data-testid': 'privacy-removed-section', hidden: true}, removedHeading.node,
         removedList);
  const onClick = (from, attribute, call, message, other) => async (event) => {
    const button = event.target.closest(`button[${attribute}]`);
    if (!button || button.disabled) return;
    const category = button.getAttribute(attribute);
    const focus = keepFocus(from, button.closest('li'), 'button', other);
    await ctx.act(() => call(category), {done: t(message, {category})});
    focus();
  };
  list.addEventListener(
      'click',
      onClick(
          list, 'data-remove-interest', (c) => v.privacy.removeInterest(c), 'pc_interest_removed',
          heading.node));
  removedList.addEventListener(
      'click',
      onClick(
          removedList, 'data-restore-interest', (c) => v.privacy.restoreInterest(c),
          'pc_interest_restored', heading.node));
  const button = (attribute, category, label, text) =>
      el('button', {
        type: 'button',
        part: attribute === 'data-remove-interest' ? 'remove' : 'restore',
        [attribute]: category,
        'aria-label': t(label, {category}),
        disabled: ctx.busy(),
      },
         t(text));
  return {
    labelledBy: heading.id,
    node: [heading.node, note, empty, list, removed],
    render() {
      fill(list, empty, v.privacy.interests().map(({category, weight}) => {
        const share = Math.max(0, Math.min(1, Number(weight) || 0));
        return el(
            'li', {part: 'interest', 'data-category': category, 'data-key': category},
            el('span', {class: 'grow name', part: 'item-name'}, category),
            el('meter', {min: 0, max: 1, value: share, 'aria-label': category, part: 'meter'},
               fmt.percent(share)),
            el('span', {class: 'meta', part: 'item-meta'}, fmt.percent(share)),
            button('data-remove-interest', category, 'pc_interest_remove_label', 'pc_remove'));
      }));
      const gone = v.privacy.removedInterests();
      fill(
          removedList, null,
          gone.map(
              (category) =>
                  el('li', {part: 'interest', 'data-category': category, 'data-key': category},
                     el('span', {class: 'grow name', part: 'item-name'}, category),
                     button('data-restore-interest', category, 'pc_restore_label', 'pc_restore'))));
      removed.hidden = gone.length === 0;
    },
  };
}

export function segmentsSection(ctx) {
  const {t, v, fmt} = ctx;
  if (typeof v.privacy?.segments !== 'function') return null;
  const heading = ctx.heading(t('pc_segments'));
  const note = el('p', {class: 'note', part: 'note'}, t('pc_segments_note'));
  const empty =
      el('p', {class: 'empty', part: 'empty', 'data-testid': 'privacy-segments-empty'},
         t('pc_segments_empty'));
  const list = el('ul', {part: 'segments', 'data-testid': 'privacy-segments'});
  return {
    labelledBy: heading.id,
    node: [heading.node, note, empty, list],
    render() {
      fill(
          list, empty,
          explainSegments(v.privacy.segments(), Date.now(), t, fmt)
              .map(
                  ({key, label, value, why}) =>
                      el('li', {
                        part: 'segment',
                        'data-segment': key,
                        ...(key === 'category' ? {'data-category': value} : {}),
                      },
                         el('span', {class: 'grow'},
                            el('span', {class: 'name', part: 'item-name'}, `${label}: ${value}`),
                            ' ', el('span', {class: 'meta', part: 'item-meta'}, why)))));
    },
  };
}
