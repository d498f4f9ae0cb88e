// The privacy center: the purposes as switches (one click to grant, one to withdraw), what
// the engine knows on this device (history, interests, segments, what was sent, the consent
// log), and the shopper's rights (download, import, erase). Everything shown comes from
// the engine in this page; nothing goes to the shop's server. The page re-renders on every
// 'change' the engine announces, from this tab or another. Nodes are built with
// createElement/textContent only (names are untrusted text).
import {el} from './dom.js';
import {explainSegments} from './segments-why.js';

const PURPOSES = ['history', 'personalization', 'measurement', 'autofill'];
const SOURCE_NAMES = {
  tcf: 'the IAB TCF consent platform',
  gcm: 'Google Consent Mode',
  shopify: 'Shopify\'s customer privacy settings',
};

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

// Global Privacy Control or Do Not Track: the engine never grants measurement then. The
// page reads the same signals only to explain why the switch is off.
function browserOptOut() {
  const nav = window.navigator;
  if (nav.globalPrivacyControl === true || nav.globalPrivacyControl === '1') {
    return 'Global Privacy Control';
  }
  if (nav.doNotTrack === '1' || window.doNotTrack === '1') return 'Do Not Track';
  return null;
}

function formatTime(ms) {
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) return '';
  return date.toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'short'});
}

// A UTC day number (days since 1970-01-01) as a date.
function formatDay(day) {
  const date = new Date(day * 24 * 3600 * 1000);
  return Number.isFinite(date.getTime()) ?
      date.toLocaleDateString('en-GB', {dateStyle: 'medium', timeZone: 'UTC'}) :
      '';
}

function percent(weight) {
  return `${Math.round(Math.max(0, Math.min(1, Number(weight) || 0)) * 100)}%`;
}

function exportFileName() {
  return `vitrine-data-${new Date().toISOString().slice(0, 10)}.json`;
}

// Shows one list, or its "empty" sentence when there is nothing in it.
function fill(list, empty, nodes) {
  list.replaceChildren(...nodes);
  list.hidden = nodes.length === 0;
  if (empty) empty.hidden = nodes.length > 0;
}

export function setupPrivacyPage() {
  const vitrine = window.vitrine;
  const status = $('privacy-status');
  const say = (text, state = 'ok') => {
    status.textContent = text;
    status.dataset.state = state;
    status.hidden = false;
  };
  if (!vitrine) {
    say('The privacy center needs Vitrine, which did not load: nothing is stored.', 'error');
    return;
  }
  const switches = [...document.querySelectorAll('[data-purpose-switch]')];
  const exportButton = $('privacy-export');
  const importInput = $('privacy-import');
  const eraseButton = $('privacy-erase');
  const confirmPanel = $('privacy-erase-confirm');

  vitrine.ready.then(
      (v) => {
        let busy = false;
        let generation = 0;
        let queued = false;

        const renderChoices = () => {
          const purposes = v.consent.get();
          const optOut = browserOptOut();
          const managed = v.consent.source !== 'manual';
          const source = $('privacy-source');
          source.hidden = !managed;
          source.textContent = managed ?
              `History, personalization and measurement follow your choices in ${
                  SOURCE_NAMES[v.consent.source] ?? v.consent.source}: change them there. ` +
                  'Autofill is yours to turn on here.' :
              '';
          for (const button of switches) {
            const name = button.dataset.purposeSwitch;
            const allowed = Boolean(purposes[name]);
            button.setAttribute('aria-checked', String(allowed));
            const blocked =
                (name === 'measurement' && optOut !== null) || (managed && name !== 'autofill');
            button.disabled = busy || blocked;
            const state = document.querySelector(`[data-purpose="${name}"]`);
            state.textContent = allowed ? 'Allowed' : 'Not allowed';
            state.classList.toggle('allowed', allowed);
            const why = $(`purpose-why-${name}`);
            if (name === 'measurement' && optOut !== null) {
              why.textContent = `Off because your browser sends ${optOut}: this shop's page ` +
                  'never sends measurement reports from this browser, whatever else you choose.';
              why.hidden = false;
            } else if (name === 'personalization' && allowed && !purposes.history) {
              why.textContent = 'Without History only what you view on the current page is used.';
              why.hidden = false;
            } else {
              why.hidden = true;
            }
          }
        };

        const renderHistory = () => {
          const rows = v.recentlyViewed({limit: 50, maxAgeDays: 3650});
          fill($('privacy-history'), $('privacy-history-empty'), rows.map((row) => {
            const remove =
                el('button', {type: 'button', class: 'link-button', 'data-remove-item': row.itemId},
                   'Remove');
            const views = row.views === 1 ? 'viewed once' : `viewed ${row.views} times`;
            return el(
                'li', {class: 'privacy-item', 'data-item-id': row.itemId},
                el('a', {href: `/p/${encodeURIComponent(row.itemId)}`, class: 'privacy-item-name'},
                   row.name || row.itemId),
                el('span', {class: 'privacy-item-meta'},
                   [row.category, views, `last ${formatTime(row.lastSeen)}`].filter(Boolean).join(
                       ' · ')),
                remove);
          }));
        };

        const renderInterests = () => {
          const interests = v.privacy.interests();
          fill(
              $('privacy-interests'), $('privacy-interests-empty'),
              interests.map(
                  ({category, weight}) => el(
                      'li', {class: 'privacy-item interest', 'data-category': category},
                      el('span', {class: 'privacy-item-name'}, category),
                      el('meter', {
                        class: 'interest-bar',
                        min: 0,
                        max: 1,
                        value: Math.max(0, Math.min(1, Number(weight) || 0)),
                        title: percent(weight),
                      },
                         percent(weight)),
                      el('span', {class: 'interest-weight'}, percent(weight)),
                      el('button',
                         {type: 'button', class: 'link-button', 'data-remove-interest': category},
                         'Remove'))));
          const removed = v.privacy.removedInterests();
          fill(
              $('privacy-removed-interests'), null,
              removed.map(
                  (category) => el(
                      'li', {class: 'privacy-item', 'data-category': category},
                      el('span', {class: 'privacy-item-name'}, category),
                      el('button',
                         {type: 'button', class: 'link-button', 'data-restore-interest': category},
                         'Restore'))));
          $('privacy-removed-section').hidden = removed.length === 0;
          fill(
              $('privacy-segments'), $('privacy-segments-empty'),
              explainSegments(v.privacy.segments(), Date.now())
                  .map(
                      ({key, label, value, why}) =>
                          el('li', {
                            class: 'privacy-item segment',
                            'data-segment': key,
                            ...(key === 'category' ? {'data-category': value} : {}),
                          },
                             el('span', {class: 'privacy-item-name'}, `${label}: ${value}`),
                             el('span', {class: 'privacy-item-meta'}, why))));
        };

        // The consent log, newest first: a false after a true is a withdrawal.
        const renderLog = () => {
          const last = new Map();
          const rows = v.consent.log().map((entry) => {
            const was = last.get(`${entry.policyVersion}:${entry.purpose}`);
            last.set(`${entry.policyVersion}:${entry.purpose}`, entry.value);
            const choice = entry.value ? 'Granted' : was ? 'Withdrawn' : 'Not granted';
            return el(
                'tr', {},
                el('td', {},
                   el('time', {datetime: new Date(entry.time).toISOString()},
                      formatTime(entry.time))),
                el('td', {}, entry.purpose), el('td', {}, choice),
                el('td', {}, entry.policyVersion), el('td', {}, entry.source));
          });
          const table = $('privacy-consent-log');
          table.tBodies[0].replaceChildren(...rows.reverse());
          table.hidden = rows.length === 0;
          $('privacy-consent-log-empty').hidden = rows.length > 0;
        };

        // Each report as it left: its question, the noisy answer exactly as sent, its
        // epsilon and the day it is about; and today's budget.
        const renderSent = async (mine) => {
          const [sent, ledger] = await Promise.all([v.privacy.sent(), v.privacy.ledger()]);
          if (mine !== generation) return;  // a newer render is under way
          fill(
              $('privacy-sent'), $('privacy-sent-empty'),
              sent.map((entry) => el('li', {class: 'privacy-item', 'data-testid': 'sent-report'}, [
                         `${formatDay(entry.day)}: ${entry.type}`, `sent as ${entry.y}`,
                         `ε ${entry.epsilon}`
                       ].join(' · '))));
          const line = $('privacy-ledger');
          line.hidden = !ledger;
          if (ledger) {
            line.textContent = `Privacy budget today: ε ${ledger.spent} of ${
                ledger.budget} spent (when it is spent, nothing more is sent until tomorrow).`;
          }
        };

        const render = () => {
          queued = false;
          const mine = ++generation;
          try {
            renderChoices();
            renderHistory();
            renderInterests();
            renderLog();
          } catch (error) {
            say(`Could not show everything: ${error?.message ?? error}`, 'error');
          }
          exportButton.disabled = busy;
          importInput.disabled = busy;
          eraseButton.disabled = busy;
          renderSent(mine).catch(
              (error) => say(`Could not read what was sent: ${error?.message ?? error}`, 'error'));
          document.body.dataset.privacyRendered = String(mine);
        };
        // A burst of changes (several tabs, a consent change and its data) renders once.
        const schedule = () => {
          if (queued) return;
          queued = true;
          queueMicrotask(render);
        };

        // Runs one action of the shopper's, with the controls disabled meanwhile.
        const act = async (action, done) => {
          if (busy) return;
          busy = true;
          schedule();
          try {
            const result = await action();
            if (done) say(typeof done === 'function' ? done(result) : done);
          } catch (error) {
            say(error?.message ?? String(error), 'error');
            throw error;
          } finally {
            busy = false;
            schedule();
          }
        };
        const quietly = (promise) => promise.catch(() => {});  // shown in the status line

        for (const button of switches) {
          button.addEventListener('click', () => {
            const name = button.dataset.purposeSwitch;
            const grant = button.getAttribute('aria-checked') !== 'true';
            quietly(
                act(() => vitrine.consent.set({[name]: grant}),
                    grant ? `${name} is allowed.` : `${name} is off, and its data is erased.`));
          });
        }

        document.addEventListener('click', (event) => {
          const target = event.target.closest?.('button');
          if (!target) return;
          const {removeItem, removeInterest, restoreInterest} = target.dataset;
          if (removeItem) {
            quietly(
                act(() => vitrine.privacy.removeItem(removeItem),
                    'The product was removed from your history.'));
          } else if (removeInterest) {
            quietly(
                act(() => vitrine.privacy.removeInterest(removeInterest),
                    `"${removeInterest}" is no longer used.`));
          } else if (restoreInterest) {
            quietly(
                act(() => vitrine.privacy.restoreInterest(restoreInterest),
                    `"${restoreInterest}" is used again.`));
          }
        });

        // Download: the export as a file, made in the page (a Blob URL), never sent anywhere.
        exportButton.addEventListener(
            'click', () => quietly(act(async () => {
                       const data = await vitrine.privacy.export();
                       const blob =
                           new Blob([JSON.stringify(data, null, 2)], {type: 'application/json'});
                       const url = URL.createObjectURL(blob);
                       const link = el('a', {href: url, download: exportFileName(), hidden: true});
                       document.body.append(link);
                       link.click();
                       link.remove();
                       setTimeout(() => URL.revokeObjectURL(url), 60_000);
                     }, 'Your data was downloaded as a file.')));

        // Import: the history and removed interests of a file downloaded before (never the
        // consent, which is given here and now). Kept on the device only with History on.
        importInput.addEventListener('change', () => {
          const file = importInput.files?.[0];
          if (!file) return;
          const imported = (count) => {
            const what = `${count} product${count === 1 ? '' : 's'} in your history`;
            return v.consent.get().history ?
                `Imported: ${what}.` :
                `Imported for this page only: ${what}. Turn History on to keep it.`;
          };
          quietly(act(async () => {
                    await vitrine.privacy.import(await file.text());
                    return v.recentlyViewed({limit: 50, maxAgeDays: 3650}).length;
                  }, imported).finally(() => (importInput.value = '')));
        });

        eraseButton.addEventListener('click', () => {
          confirmPanel.hidden = false;
          confirmPanel.querySelector('[data-action="erase-cancel"]').focus();
        });
        confirmPanel.addEventListener('click', (event) => {
          const action = event.target.closest?.('[data-action]')?.dataset.action;
          if (action === 'erase-cancel') confirmPanel.hidden = true;
          if (action !== 'erase-confirm') return;
          confirmPanel.hidden = true;
          act(() => vitrine.privacy.erase(),
              'Everything was erased from this browser. Nothing is kept until you choose again.')
              .catch(
                  (error) =>
                      say(`Erasing did not finish (${error?.message ?? error}). It finishes by ` +
                              'itself the next time a page of this shop opens.',
                          'error'));
        });

        render();
        v.on('change', schedule);
        v.on('consent', schedule);
      },
      (error) =>
          say(`The privacy center needs Vitrine, which did not start (${
                  error?.message ?? error}): nothing is stored.`,
              'error'));
}
