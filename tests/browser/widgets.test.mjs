
test(
    'the demo shop\'s rows add 0 layout shift on home, product and cart pages (web-vitals)',
    async () => {
      const page = await browser.newPage();
      await page.addInitScript(`${WEB_VITALS}
    window.__cls = {value: 0, shifts: []};
    webVitals.onCLS((m) => { window.__cls.value = m.value; }, {reportAllChanges: true});
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__cls.shifts.push(e.value); })
        .observe({type: 'layout-shift', buffered: true});`);
      const shopPage = async (path) => {
        await page.goto(`${shop.url}${path}`);
        await page.waitForSelector('body[data-shop-ready]', {state: 'attached'});
        await page.evaluate(() => window.vitrine.ready);
      };
      await shopPage('/');
      await page.getByTestId('consent-banner').getByRole('button', {name: 'Accept all'}).click();
      const viewed = products.slice(0, 4);
      for (const p of viewed) {
        await shopPage(`/p/${p.id}`);
        await page.evaluate(() => window.vitrine.flush());
      }
      await page.getByRole('button', {name: 'Add to cart'}).click();
      await page.evaluate(() => window.vitrine.flush());
      const measured = {};
      for (const [name, path, rows] of [
               ['home', '/', ['recently-viewed', 'bestsellers', 'for-you']],
               ['product', `/p/${products[10].id}`, ['recently-viewed', 'similar']],
               ['cart', '/cart', ['goes-well-with']],
      ]) {
        await shopPage(path);
        for (const row of rows) {
          const count = Number(await page.locator(`[data-testid="${row}"][data-state="ready"]`)
                                   .getAttribute('data-count'));
          assert.ok(count > 0, `${name}: ${row} shows cards`);
        }
        await page.waitForTimeout(300);
        measured[name] = await page.evaluate(() => window.__cls);
      }
      for (const [name, cls] of Object.entries(measured)) {
        assert.equal(cls.value, 0, `${name}: CLS ${cls.value}`);
        assert.deepEqual(cls.shifts, [], name);
      }
    });
