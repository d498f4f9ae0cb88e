// The package as a shop installs it: `npm pack` of js/, installed into an empty project,
// imported by name. Catches a missing file in `files`, a broken `exports` map or a wasm
// that is not found beside the module.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const APP = `
import {createRequire} from 'node:module';
import {createVitrine} from 'vitrine';
const require = createRequire(import.meta.url);
const v = await createVitrine({storage: 'memory'});
const good = v.track({event: 'view_item', items: [{item_id: 'SKU-1', item_name: 'Wool hat'}]});
const bad = v.track({event: 'view_item', items: [{item_name: 'no id'}]});
console.log(JSON.stringify({
  good, bad, rows: v.recentlyViewed(),
  wasm: require.resolve('vitrine/vitrine.wasm').endsWith('vitrine.wasm'),
  types: require.resolve('vitrine/package.json') !== '',
}));
await v.close();
`;

test('npm pack, install into an empty project, import by name', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-tarball-'));
  try {
    const npm = (args, cwd) => execFileSync(
        'npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'],
        {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
    npm(['pack', '--pack-destination', dir], path.join(root, 'js'));
    const [tarball] = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote no tarball');
    const listing = execFileSync('tar', ['tzf', path.join(dir, tarball)], {encoding: 'utf8'});
    for (const file
             of ['vitrine.mjs', 'vitrine.js', 'vitrine.wasm', 'vitrine-autofill.mjs',
                 'vitrine-autofill.wasm', 'vitrine.d.ts', 'integrity.json', 'vitrine-widgets.mjs',
                 'vitrine-widgets.css', 'vitrine-consent.mjs', 'vitrine-privacy-center.mjs',
                 'vitrine-banner.mjs', 'vitrine-rights.mjs']) {
      assert.match(listing, new RegExp(`package/dist/${file.replace('.', '\\.')}`), file);
    }
    assert.doesNotMatch(listing, /package\/src\//, 'sources are not shipped');
    const app = path.join(dir, 'app');
    execFileSync('mkdir', [app]);
    await writeFile(
        path.join(app, 'package.json'),
        JSON.stringify({name: 'shop', private: true, type: 'module'}));
    npm(['install', '--offline', path.join(dir, tarball)], app);
    await writeFile(path.join(app, 'index.mjs'), APP);
    const out =
        JSON.parse(execFileSync(process.execPath, ['index.mjs'], {cwd: app, encoding: 'utf8'}));
    assert.deepEqual(out.good, {ok: true});
    assert.equal(out.bad.ok, false);
    assert.match(out.bad.error, /item_id is missing/);
    assert.equal(out.rows[0].itemId, 'SKU-1');
    assert.equal(out.wasm, true);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
});
