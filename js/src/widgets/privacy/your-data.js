// The shopper's rights over everything at once: download it (a file made in the page, never
// sent anywhere), import a file downloaded before (never the consent, given here and now),
// and erase everything (confirmed first; Escape cancels).
import {loadFeature} from '../../feature-loader.js';
import {currentHost, el, uid} from '../shared.js';

const exportFileName = () => `vitrine-data-${new Date().toISOString().slice(0, 10)}.json`;

export function dataSection(ctx) {
  const {t, v, fmt} = ctx;
  if (typeof v.privacy?.export !== 'function') return null;
  // export() and import() load the export's format (the rights chunk) on first use: fetched
  // now, so that a download is made in the page with no request at all.
  loadFeature('rights', currentHost().base).catch(() => {});
  const heading = ctx.heading(t('pc_data'));
  const exportButton = el(
      'button', {type: 'button', part: 'export', 'data-testid': 'privacy-export'}, t('pc_export'));
  const importInput = el('input', {
    type: 'file',
    accept: '.json,application/json',
    part: 'import',
    'data-testid': 'privacy-import'
  });
  const importLabel = el('label', {part: 'import-label'}, t('pc_import'), importInput);
  const eraseButton =
      el('button', {type: 'button', class: 'danger', part: 'erase', 'data-testid': 'privacy-erase'},
         t('pc_erase'));
  const yes =
      el('button',
         {type: 'button', class: 'danger', part: 'erase-yes', 'data-testid': 'privacy-erase-yes'},
         t('pc_erase_yes'));
  const cancel =
      el('button', {type: 'button', part: 'cancel', 'data-testid': 'privacy-erase-cancel'},
         t('pc_cancel'));
  const confirmId = uid('vpc');
  const confirm = el(
      'div', {
        role: 'group',
        'aria-labelledby': confirmId,
        part: 'confirm',
        hidden: true,
        'data-testid': 'privacy-erase-confirm'
      },
      el('p', {id: confirmId}, t('pc_erase_confirm')), el('div', {class: 'actions'}, yes, cancel));
  const closeConfirm = () => {
    confirm.hidden = true;
    eraseButton.focus();
  };

  exportButton.addEventListener('click', () => ctx.act(async () => {
    const data = await v.privacy.export();
    const url =
        URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], {type: 'application/json'}));
    const link = el('a', {href: url, download: exportFileName(), hidden: true});
    ctx.element.shadowRoot.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }, {done: t('pc_exported')}));

  importInput.addEventListener('change', () => {
    const file = importInput.files?.[0];
    if (!file) return;
    ctx.act(
           async () => {
             await v.privacy.import(await file.text());
             return v.recentlyViewed({limit: 50, maxAgeDays: 3650}).length;
           },
           {
             done: (n) => t(v.consent.get().history ? 'pc_imported' : 'pc_imported_page', {
               products: fmt.count('n_products', n),
             }),
           })
        .finally(() => (importInput.value = ''));
  });

  eraseButton.addEventListener('click', () => {
    confirm.hidden = false;
    cancel.focus();
  });
  cancel.addEventListener('click', closeConfirm);
  confirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeConfirm();
  });
  yes.addEventListener('click', async () => {
    confirm.hidden = true;
    await ctx.act(() => v.privacy.erase(), {
      done: t('pc_erased'),
      failed: (message) => t('pc_erase_failed', {message}),
    });
    eraseButton.focus();
  });

  return {
    labelledBy: heading.id,
    node: [
      heading.node, el('div', {class: 'actions'}, exportButton, importLabel, eraseButton), confirm
    ],
    render() {
      const busy = ctx.busy();
      exportButton.disabled = busy;
      importInput.disabled = busy;
      eraseButton.disabled = busy;
      yes.disabled = busy;
    },
  };
}
