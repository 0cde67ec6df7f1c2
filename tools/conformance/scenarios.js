// scenarios.js: compares two runs of one scenario, one on synclab's
// simulated backend and one on a real server (synclab run --backend), step
// by step.
//
//   node scenarios.js ID SIM.jsonl SIM_STORE REAL.jsonl REAL_STORE COMPAT_MD [--verbose]
//
// The .jsonl files are `synclab run --format jsonl` traces and the store
// folders what `--store` wrote at the end.  Compared for every step: each
// request (method, path with its query, times masked, and If-Match), each
// answer (status and ETag) or loss, each conflict (status), each
// resolution, each expectation's verdict; then the checker's findings; then
// every device's final rows (times masked) and queue, and the server's
// rows.  A difference is allowed when the key scenario-ID (the whole
// scenario) is listed in COMPAT_MD, or, when only the incremental pulls'
// GETs differ (which pages they ask for, how many), when the class
// pull-pages is listed.  Prints one line for the scenario;
// exit status 0 when it is the same or listed, 1 otherwise.
'use strict';

const fs = require('fs');
const path = require('path');
const sqlite3 = require('sqlite3');
const { allowedKeys } = require('./compat.js');

const [id, simTrace, simStore, realTrace, realStore, compatPath] = process.argv.slice(2);
const verbose = process.argv.includes('--verbose');
if (!compatPath) {
	console.error('usage: node scenarios.js ID SIM.jsonl SIM_STORE REAL.jsonl REAL_STORE COMPAT_MD [--verbose]');
	process.exit(2);
}

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g;

function header(h, name) {
	if (!h)
		return undefined;
	for (const k of Object.keys(h))
		if (k.toLowerCase() === name)
			return h[k];
	return undefined;
}

// One line per event that the real server can change.
function events(file) {
	const out = [];
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		if (!line)
			continue;
		const e = JSON.parse(line);
		const who = e.device ? `${e.device}: ` : '';
		let s = null;
		switch (e.type) {
		case 'request': {
			const p = decodeURIComponent(e.path).replace(ISO, '<time>');
			const im = header(e.headers, 'if-match');
			s = `${who}${e.method} ${p}${im ? ' If-Match ' + im : ''}`;
			break;
		}
		case 'response': {
			// Express adds a weak ETag (a hash of the body) to lists.
			let et = header(e.headers, 'etag');
			if (et && et.startsWith('W/'))
				et = undefined;
			s = `${who}-> ${e.status}${et ? ' ETag ' + et : ''}`;
			break;
		}
		case 'lost':
			s = `${who}lost${e.status ? ' ' + e.status : ''}`;
			break;
		case 'conflict':
			s = `${who}conflict ${e.status}`;
			break;
		case 'resolve':
			s = `${who}resolve ${e.method}`;
			break;
		case 'expect':
			s = `expect ${e.ok ? 'held' : 'FAILED'}: ${e.text.replace(ISO, '<time>')}`;
			break;
		case 'check':
			s = `check ${e.method} ${e.ok ? 'ok' : 'problem'}`;
			break;
		case 'error':
			s = `${who}error`;
			break;
		}
		if (s !== null)
			out.push({ step: e.step, s, pull: e.type === 'request' &&
			    e.method === 'GET' && /updatedAt/.test(decodeURIComponent(e.path)) });
	}
	return out;
}

function sorted(o) {
	const r = {};
	for (const k of Object.keys(o).sort())
		r[k] = o[k];
	return r;
}

// The events without the incremental pulls' GETs and their answers: which
// pages a pull asks for depends on the server's timestamps.
function withoutPulls(ev) {
	const out = [];
	for (let i = 0; i < ev.length; i++) {
		if (ev[i].pull) {
			if (ev[i + 1] && /-> 200$/.test(ev[i + 1].s))
				i++;
			continue;
		}
		out.push(ev[i]);
	}
	return out;
}

function all(db, sql) {
	return new Promise((res, rej) => db.all(sql, (err, rows) => err ? rej(err) : res(rows)));
}

// Every table of every store in the folder, rows ordered by id, times
// masked; __config (delta tokens: times) only by its keys.
async function stores(dir) {
	const out = {};
	for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.db')).sort()) {
		const db = new sqlite3.Database(path.join(dir, f), sqlite3.OPEN_READONLY);
		const tables = await all(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
		for (const { name } of tables) {
			let rows;
			if (name === '__operations')
				rows = await all(db, 'SELECT kind, state, tableName, itemId, version FROM __operations ORDER BY sequence');
			else if (name === '__errors')
				rows = await all(db, 'SELECT httpStatus, operationKind, tableName FROM __errors ORDER BY id');
			else if (name === '__config')
				rows = await all(db, 'SELECT id FROM __config ORDER BY id');
			else {
				// Data tables are ordered by id; a table without one
				// (such as a store's sign-in row) by its first column.
				const q = name.replace(/"/g, '""');
				const cols = await all(db, `PRAGMA table_info("${q}")`);
				const by = cols.some((c) => c.name === 'id') ? 'id' : '1';
				rows = await all(db, `SELECT * FROM "${q}" ORDER BY ${by}`);
			}
			// __base keeps server rows as received: compare them as
			// objects, not as texts whose member order differs.
			if (name === '__base')
				rows = rows.map((r) => Object.assign({}, r, { item: sorted(JSON.parse(r.item)) }));
			out[`${f}/${name}`] = rows.map((r) => JSON.stringify(r).replace(ISO, '<time>'));
		}
		db.close();
	}
	return out;
}

async function main() {
	const a = events(simTrace), b = events(realTrace);
	const diffs = [];
	const classes = [];
	const allowed = allowedKeys(compatPath);
	const cmp = (x, y, out) => {
		const n = Math.max(x.length, y.length);
		for (let i = 0; i < n && out.length < 8; i++)
			if (!x[i] || !y[i] || x[i].s !== y[i].s || x[i].step !== y[i].step)
				out.push(`step ${x[i] ? x[i].step : y[i].step}: simulated "${x[i] ? x[i].s : '(nothing)'}", real "${y[i] ? y[i].s : '(nothing)'}"`);
		return out;
	};
	const pages = cmp(a, b, []);
	if (pages.length) {
		// Only the pull pages differ: the class pull-pages.
		if (!cmp(withoutPulls(a), withoutPulls(b), []).length && allowed.has('pull-pages'))
			classes.push('pull-pages');
		else
			diffs.push(...pages);
	}
	const sa = await stores(simStore), sb = await stores(realStore);
	for (const k of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
		const x = JSON.stringify(sa[k] || null), y = JSON.stringify(sb[k] || null);
		if (x !== y)
			diffs.push(`final ${k}: simulated ${x.slice(0, 300)}, real ${y.slice(0, 300)}`);
	}
	const key = `scenario-${id}`;
	const listed = allowed.has(key);
	if (!diffs.length)
		console.log(`${classes.length ? 'listed' : 'same  '}  ${key} (${a.length} events, ` +
		    `${Object.keys(sa).length} final tables${classes.length ? ', ' + classes.join(', ') : ''})`);
	else
		console.log(`${listed ? 'listed' : 'DIFF  '}  ${key}`);
	if (diffs.length && (verbose || !listed))
		for (const d of diffs)
			console.log(`        ${d}`);
	if (!diffs.length && listed)
		console.log(`note: ${key} is listed in ${compatPath} but did not differ`);
	process.exit(diffs.length && !listed ? 1 : 0);
}

main().catch((e) => {
	console.error('scenarios.js:', e && e.stack || e);
	process.exit(1);
});
