// The catalog as the client sees it (names, prices, categories by id), fetched once per page:
// the engine returns item ids, the cards need the rest.
let loading = null;

export function loadCatalog() {
  loading ??= fetch('/catalog.json', {credentials: 'same-origin'})
                  .then((response) => {
                    if (!response.ok) throw new Error(`/catalog.json: HTTP ${response.status}`);
                    return response.json();
                  })
                  .then((data) => ({
                          products: new Map(data.products.map((p) => [p.id, p])),
                          categories: data.categories,
                        }));
  return loading;
}
