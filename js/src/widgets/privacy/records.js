// What left the device and what the shopper decided: every report sent (exactly as sent,
// with its epsilon) and today's privacy budget, and the consent log.
import {el} from '../shared.js';

export function sentSection(ctx) {
  const {t, v, fmt} = ctx;
  if (typeof v.privacy?.sent !== 'function') return null;
  const heading = ctx.heading(t('pc_sent'));
  const note = el('p', {class: 'note', part: 'note'}, t('pc_sent_note'));
  const ledger = el('p', {part: 'ledger', hidden: true, 'data-testid': 'privacy-ledger'});
  const list = el('ul', {part: 'sent', 'data-testid': 'privacy-sent', hidden: true});
  const empty =
      el('p', {class: 'empty', part: 'empty', hidden: true, 'data-testid': 'privacy-sent-empty'},
         t('pc_sent_empty'));
  return {
    labelledBy: heading.id,
    node: [heading.node, note, ledger, list, empty],
    async render() {
      // The ledger exists only in packages with the measurement feature.
      const [sent, budget] = await Promise.all([
        v.privacy.sent(),
        typeof v.privacy.ledger === 'function' ? v.privacy.ledger() : null,
      ]);
      list.replaceChildren(...sent.map(
          (r) =>
              el('li', {part: 'sent-item', 'data-testid': 'sent-report'},
                 t('pc_sent_row',
                   {day: fmt.day(r.day), type: r.type, value: r.y, epsilon: r.epsilon}))));
      list.hidden = sent.length === 0;
      empty.hidden = sent.length > 0;
      ledger.hidden = !budget;
      ledger.textContent =
          budget ? t('pc_ledger', {spent: budget.spent, budget: budget.budget}) : '';
    },
  };
}

// Newest first; a false after a true is a withdrawal.
export function logSection(ctx) {
  const {t, v, fmt} = ctx;
  if (typeof v.consent?.log !== 'function') return null;
  const heading = ctx.heading(t('pc_log'));
  const empty =
      el('p', {class: 'empty', part: 'empty', 'data-testid': 'privacy-consent-log-empty'},
         t('pc_log_empty'));
  const head = ['pc_log_when', 'pc_log_purpose', 'pc_log_choice', 'pc_log_policy', 'pc_log_source'];
  const body = el('tbody');
  const table =
      el('table', {
        part: 'log',
        'aria-labelledby': heading.id,
        hidden: true,
        'data-testid': 'privacy-consent-log'
      },
         el('thead', {}, el('tr', {}, head.map((key) => el('th', {scope: 'col'}, t(key))))), body);
  const source = (name) => {
    const text = t(`source_${name}`);
    return text === `source_${name}` ? name : text;
  };
  return {
    labelledBy: heading.id,
    node: [heading.node, empty, table],
    render() {
      const last = new Map();
      const rows = v.consent.log().map((entry) => {
        const key = `${entry.policyVersion}:${entry.purpose}`;
        const was = last.get(key);
        last.set(key, entry.value);
        const choice = entry.value ? 'pc_granted' : was ? 'pc_withdrawn' : 'pc_not_granted';
        const when = new Date(entry.time);
        return el(
            'tr', {part: 'log-entry'},
            el('td', {},
               Number.isFinite(when.getTime()) ?
                   el('time', {datetime: when.toISOString()}, fmt.time(entry.time)) :
                   ''),
            el('td', {}, t(`purpose_${entry.purpose}`)), el('td', {}, t(choice)),
            el('td', {}, entry.policyVersion), el('td', {}, source(entry.source)));
      });
      body.replaceChildren(...rows.reverse());
      table.hidden = rows.length === 0;
      empty.hidden = rows.length > 0;
    },
  };
}
