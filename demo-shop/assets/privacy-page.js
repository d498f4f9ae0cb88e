// The privacy page (a placeholder until the privacy center lands): shows what is allowed now.
export function setupPrivacyPage() {
  const vitrine = window.vitrine;
  if (!vitrine) return;
  vitrine.ready.then((v) => {
    const show = (purposes) => {
      for (const node of document.querySelectorAll('[data-purpose]')) {
        const allowed = Boolean(purposes[node.dataset.purpose]);
        node.textContent = allowed ? 'Allowed' : 'Not allowed';
        node.classList.toggle('allowed', allowed);
      }
    };
    show(v.consent.get());
    v.on('consent', show);
  }, () => {});
}
