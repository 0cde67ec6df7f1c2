// compat.js: the keys of the differences docs/server-compat.md lists, for
// the comparers of make conformance (compare.js, jsclient.js, scenarios.js).
// A key is written in backticks in the first cell of a table row; one cell
// may hold several.
'use strict';

const fs = require('fs');

function allowedKeys(file) {
	const keys = new Set();
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = /^\|([^|]*)\|/.exec(line);
		if (!m || !/^\s*`/.test(m[1]))
			continue;
		for (const k of m[1].matchAll(/`([a-z0-9-]+)`/g))
			keys.add(k[1]);
	}
	return keys;
}

module.exports = { allowedKeys };
