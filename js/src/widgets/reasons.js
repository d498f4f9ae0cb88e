// A recommendation's reason, in words, in the element's language. The engine's reason
// names a source and sometimes the item or category it comes from.
export async function reasonText(reason, itemId, t, product) {
  const about = reason?.itemId ? await product(reason.itemId) : null;
  switch (reason?.source) {
    case 're_view':
      return about && reason.itemId !== itemId ? t('reason_viewed', {name: about.name}) :
                                                 t('reason_re_view');
    case 'co_view':
    case 'embedding':
      return about ? t('reason_viewed', {name: about.name}) : t('reason_similar');
    case 'co_purchase':
      return about ? t('reason_bought_with', {name: about.name}) : t('reason_bought_together');
    case 'segment':
      return reason.category ? t('reason_popular_in', {category: reason.category}) :
                               t('reason_popular');
    case 'popularity':
      return t('reason_popular');
    default:
      return t('reason_default');
  }
}
