// GA4 ecommerce events pushed to window.dataLayer the way a storefront theme does it. The
// Vitrine script tag reads them from there; the shop never calls vitrine.track itself.
export function gaItem(product, extra = {}) {
  return {
    item_id: product.id,
    item_name: product.name,
    item_category: product.category,
    price: product.price,
    ...extra,
  };
}

export function value(items) {
  const total = items.reduce((sum, item) => sum + item.price * (item.quantity ?? 1), 0);
  return Math.round(total * 100) / 100;
}

export function pushEcommerce(event, ecommerce) {
  const dataLayer = (window.dataLayer = window.dataLayer || []);
  dataLayer.push({ecommerce: null});  // clears the previous ecommerce object (GA4 advice)
  dataLayer.push({event, ecommerce: {currency: 'EUR', ...ecommerce}});
}
