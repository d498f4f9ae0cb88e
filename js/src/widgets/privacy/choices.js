// The privacy center's purposes: one switch each (one click grants, one withdraws), its
// state in words, and why a switch is off when the shopper cannot turn it on here (a CMP
// owns it; Global Privacy Control or Do Not Track blocks measurement).
import {el, uid} from '../shared.js';

const PURPOSES = ['history', 'personalization', 'measurement', 'autofill'];

export function choicesSection(ctx) {
  const {t, v} = ctx;
  const heading = ctx.heading(t('pc_choices'));
  const cmp =
      el('p', {class: 'note', part: 'note', hidden: true, 'data-testid': 'privacy-source'},
         t('pc_cmp'));
  const rows = PURPOSES.map((name) => {
    const ids = {label: uid('vpc'), text: uid('vpc'), why: uid('vpc')};
    const state = el('span', {part: 'switch-state', 'data-testid': `consent-state-${name}`});
    const sw =
        el('button', {
          type: 'button',
          role: 'switch',
          'aria-checked': 'false',
          'aria-labelledby': ids.label,
          'aria-describedby': `${ids.text} ${ids.why}`,
          'data-purpose': name,
          'data-testid': `switch-${name}`,
          part: 'switch',
          disabled: true,
        },
           state);
    const why = el('p', {
      id: ids.why,
      class: 'note',
      part: 'why',
      hidden: true,
      'data-testid': `purpose-why-${name}`
    });
    sw.addEventListener('click', () => {
      const grant = sw.getAttribute('aria-checked') !== 'true';
      const purpose = t(`purpose_${name}`);
      ctx.act(() => v.consent.set({[name]: grant}), {
        done: t(grant ? 'pc_purpose_on' : 'pc_purpose_off', {purpose}),
      });
    });
    const li =
        el('li', {part: 'purpose', 'data-testid': `purpose-${name}`},
           el('div', {class: 'grow'}, el('strong', {id: ids.label}, t(`purpose_${name}`)),
              el('p', {id: ids.text, class: 'note'}, t(`purpose_${name}_text`)), why),
           sw);
    return {name, sw, state, why, li};
  });
  const node = [heading.node, cmp, el('ul', {part: 'purposes'}, rows.map((r) => r.li))];
  return {
    labelledBy: heading.id,
    node,
    render() {
      const consent = v.consent.get();
      const managed = v.consent.source !== 'manual';
      cmp.hidden = !managed;
      for (const {name, sw, state, why} of rows) {
        const on = Boolean(consent[name]);
        sw.setAttribute('aria-checked', String(on));
        state.textContent = on ? t('pc_allowed') : t('pc_not_allowed');
        const blocked = (managed && name !== 'autofill') || (name === 'measurement' && ctx.optOut);
        sw.disabled = ctx.busy() || Boolean(blocked);
        let text = null;
        if (name === 'measurement' && ctx.optOut) {
          text = t('pc_why_optout', {signal: ctx.optOut});
        } else if (name === 'personalization' && on && !consent.history) {
          text = t('pc_why_no_history');
        }
        why.hidden = text === null;
        why.textContent = text ?? '';
      }
    },
  };
}
