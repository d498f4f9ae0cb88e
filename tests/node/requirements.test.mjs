// privacy/requirements.md: the requirements table cannot drift from the suite. Every one of
// the 30 requirements has a row; every test it names exists, in the file it names.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {test} from 'node:test';

const ROOT = new URL('../../', import.meta.url);
const TABLE = readFileSync(new URL('privacy/requirements.md', ROOT), 'utf8');

function rows() {
  return TABLE.split('\n').filter((line) => /^\| [0-9]+ \|/.test(line)).map((line) => {
    const [number, requirement, status, provenBy] =
        line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim());
    return {number: Number(number), requirement, status, provenBy};
  });
}

// `file` › title; `file` › title ...
function references(provenBy) {
  if (!provenBy) return [];
  return provenBy.split(/; (?=`)/).map((ref) => {
    const m = /^`([^`]+)` › (.+)$/.exec(ref.trim());
    assert.ok(m, `not a "\`file\` › title" reference: ${ref}`);
    return {file: m[1], title: m[2]};
  });
}

test('privacy/requirements.md has one row per requirement, 1 to 30', () => {
  assert.deepEqual(rows().map((r) => r.number), Array.from({length: 30}, (_, i) => i + 1));
  for (const row of rows()) {
    assert.match(row.status, /^(proven|partly \(.+\)|pending \(issue [0-9]+\))$/, `#${row.number}`);
    const refs = references(row.provenBy);
    if (row.status.startsWith('pending')) {
      assert.equal(refs.length, 0, `#${row.number} is pending: it names no test`);
    } else {
      assert.ok(refs.length > 0, `#${row.number} (${row.status}) names the tests that prove it`);
    }
  }
});

test('every test the table names exists in the file it names', () => {
  for (const row of rows()) {
    for (const {file, title} of references(row.provenBy)) {
      const path = new URL(file, ROOT);
      assert.ok(existsSync(path), `#${row.number}: ${file} exists`);
      const source = readFileSync(path, 'utf8');
      if (file.endsWith('.cpp')) {
        const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(title);
        const found = m ? source.includes(`TEST(${m[1]}, ${m[2]})`) : source.includes(`${title}(`);
        assert.ok(found, `#${row.number}: ${title} in ${file}`);
      } else {
        // A test title is a string literal: quotes or a template literal around it.
        const escaped = title.replace(/'/g, '\\\'');
        assert.ok(
            source.includes(title) || source.includes(escaped),
            `#${row.number}: "${title}" in ${file}`);
        assert.match(source, /\btest\(/, `${file} is a test file`);
      }
    }
  }
});
