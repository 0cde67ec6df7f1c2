// jsclient.js: the real JavaScript client SDK (azure-mobile-apps-client
// 2.0.1) through one offline scenario against synclab and against the
// reference server, compared step by step.
//
//   node jsclient.js SYNCLAB_URL REFERENCE_URL COMPAT_MD [--verbose]
//
// Each client runs in Node with the xmlhttprequest package as its
// XMLHttpRequest and the SDK's own SQLite store (MobileServiceSqliteStore)
// over an in-memory database (websql.js).  Two devices, A and B, share
// the table todoitem (soft delete on both servers).  After each step this
// records what the client saw: every request (method, path, the names of
// its query options, If-Match) with its status and ETag, the conflicts the
// push handler met (status, the server version it was given), the
// promise's outcome, and the device's local rows and queue.  Times and
// generated ids are masked.  A step that differs is allowed only when its
// key (js-STEP) is in a table row of COMPAT_MD, as for compare.js.
// Exit status 0 when every difference is listed, else 1.
'use strict';

const { allowedKeys } = require('./compat.js');

const [synclabUrl, referenceUrl, compatPath] = process.argv.slice(2);
const verbose = process.argv.includes('--verbose');
if (!synclabUrl || !referenceUrl || !compatPath) {
	console.error('usage: node jsclient.js SYNCLAB_URL REFERENCE_URL COMPAT_MD [--verbose]');
	process.exit(2);
}

global.XMLHttpRequest = require('xmlhttprequest').XMLHttpRequest;
global.window = global.window || {};
global.window.sqlitePlugin = require('./websql.js');
const WindowsAzure = require('azure-mobile-apps-client');
const Query = WindowsAzure.Query;
const SqliteStore = require('azure-mobile-apps-client/sdk/src/Platform/cordova/MobileServiceSqliteStore');
const ColumnType = require('azure-mobile-apps-client/sdk/src/sync/ColumnType');

// Every request any client makes, in order; a step reads its share.
let wire = [];
const RealXHR = global.XMLHttpRequest;
global.XMLHttpRequest = function () {
	const x = new RealXHR();
	const rec = { headers: {} };
	const open = x.open, set = x.setRequestHeader, send = x.send;
	x.open = function (m, url) { rec.method = m; rec.url = url; return open.apply(x, arguments); };
	x.setRequestHeader = function (k, v) { rec.headers[k.toLowerCase()] = v; return set.apply(x, arguments); };
	x.send = function () {
		const prev = x.onreadystatechange;
		x.onreadystatechange = function () {
			if (x.readyState === 4) {
				rec.status = x.status;
				rec.etag = x.getResponseHeader('ETag');
				wire.push(rec);
			}
			if (prev)
				return prev.apply(this, arguments);
		};
		return send.apply(x, arguments);
	};
	return x;
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A request as compared: the path, the query option names and the
// values that do not carry a time.
function shape(rec, base) {
	let u = rec.url.startsWith(base) ? rec.url.slice(base.length) : rec.url;
	const [path, query] = u.split('?');
	const opts = (query || '').split('&').filter((p) => p).map((p) => {
		const [k, v] = p.split('=');
		const key = decodeURIComponent(k);
		const val = decodeURIComponent(v || '').replace(/datetimeoffset'[^']*'/g, "datetimeoffset'<time>'");
		return key === '$filter' || key === '$skip' || key === '$top' || key === '$orderby' ?
		    `${key}=${val}` : key;
	});
	const ifm = rec.headers['if-match'] ? ` If-Match ${rec.headers['if-match']}` : '';
	return `${rec.method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>')}` +
	    `${opts.length ? '?' + opts.join('&') : ''}${ifm} -> ${rec.status}` +
	    `${rec.etag && !rec.etag.startsWith('W/') ? ' ETag ' + rec.etag : ''}`;
}

function mask(v) {
	if (Array.isArray(v))
		return v.map(mask);
	if (v && typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v).sort())
			o[k] = mask(v[k]);
		return o;
	}
	if (v instanceof Date)
		return '<time>';
	if (typeof v === 'string' && ISO.test(v))
		return '<time>';
	if (typeof v === 'string' && UUID.test(v))
		return '<uuid>';
	return v;
}

const columns = {
	id: ColumnType.String, text: ColumnType.String,
	complete: ColumnType.Boolean, count: ColumnType.Real,
	version: ColumnType.String, updatedAt: ColumnType.Date,
	createdAt: ColumnType.Date, deleted: ColumnType.Boolean
};

async function device(base, name) {
	const client = new WindowsAzure.MobileServiceClient(base);
	const store = new SqliteStore(`${name}.db`);
	await store.defineTable({ name: 'todoitem', columnDefinitions: columns });
	const ctx = client.getSyncContext();
	const seen = [];
	ctx.pushHandler = {
		// A conflict: note it, then settle it as the step asked.
		onConflict: async (pushError) => {
			const server = pushError.getServerRecord();
			seen.push({
				status: pushError.getError().request.status,
				action: pushError.getAction(),
				serverVersion: server ? server.version : null
			});
			if (dev.policy === 'client' && server) {
				const mine = pushError.getClientRecord();
				mine.version = server.version;
				await pushError.update(mine);
				// update() is meant to mark the error handled, but
				// 2.0.1 sets isHandled to the promise callback's
				// "this", which is undefined: an app sets it itself.
				pushError.isHandled = true;
			} else if (dev.policy === 'client') {
				await pushError.changeAction('update');
			} else if (dev.policy === 'server' && server) {
				await pushError.cancelAndUpdate(server);
			}
		},
		onError: (pushError) => {
			seen.push({ error: pushError.getError().request ?
			    pushError.getError().request.status : String(pushError.getError()) });
		}
	};
	await ctx.initialize(store);
	const dev = { name, client, store, ctx, seen, policy: 'none',
	    table: client.getSyncTable('todoitem') };
	return dev;
}

async function local(dev) {
	const rows = await dev.table.read(new Query('todoitem').orderBy('text'));
	const ops = await dev.store.read(new Query('__operations').orderBy('id'));
	return {
		rows: rows.map((r) => `${r.text}|${r.complete}|${r.count}|${r.version}`),
		queue: ops.map((o) => `${o.action} ${o.itemId}`)
	};
}

// The scenario: each step is [key, device, what it does].
function script() {
	const pull = (dev) => dev.table.pull(new Query('todoitem'), 'all');
	return [
		['insert-offline', 'A', async (d) => {
			await d.table.insert({ id: 'milk', text: 'milk', complete: false, count: 1 });
			await d.table.insert({ id: 'eggs', text: 'eggs', complete: false, count: 12 });
			await d.table.insert({ id: 'tea', text: 'tea', complete: false, count: 2 });
			await d.table.update({ id: 'tea', text: 'green tea', complete: false, count: 2 });
			return 'queued';
		}],
		['push-inserts', 'A', async (d) => (await d.ctx.push()).length + ' conflicts'],
		['pull-first', 'B', async (d) => { await pull(d); return 'pulled'; }],
		['edit-b', 'B', async (d) => {
			const r = await d.table.lookup('milk');
			r.text = 'oat milk';
			await d.table.update(r);
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['edit-a-stale', 'A', async (d) => {
			const r = await d.table.lookup('milk');
			r.count = 2;
			await d.table.update(r);
			d.policy = 'none';
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['client-wins', 'A', async (d) => {
			d.policy = 'client';
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['insert-same-id', 'B', async (d) => {
			await d.table.insert({ id: 'bread', text: 'bread (B)', complete: false, count: 1 });
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['insert-same-id-409', 'A', async (d) => {
			await d.table.insert({ id: 'bread', text: 'bread (A)', complete: true, count: 3 });
			d.policy = 'client';
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['delete-a', 'A', async (d) => {
			await d.table.del({ id: 'eggs' });
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['pull-sees-delete', 'B', async (d) => { await pull(d); return 'pulled'; }],
		['server-wins', 'B', async (d) => {
			const r = await d.table.lookup('tea');
			r.text = 'black tea';
			await d.table.update(r);
			const a = devs.A;
			const s = await a.table.lookup('tea');
			s.complete = true;
			await a.table.update(s);
			await a.ctx.push();
			d.policy = 'server';
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['bulk-insert', 'A', async (d) => {
			for (let i = 0; i < 60; i++) {
				const n = String(i).padStart(2, '0');
				await d.table.insert({ id: `bulk-${n}`, text: `bulk ${n}`, complete: false, count: i });
			}
			return (await d.ctx.push()).length + ' conflicts';
		}],
		['pull-pages', 'B', async (d) => { await pull(d); return 'pulled'; }],
		['read-next-link', 'B', async (d) => {
			// The online table, as an app lists rows: page 1, then its
			// nextLink while there is one.
			const t = d.client.getTable('todoitem');
			const first = await t.read();
			const out = [`page 1: ${first.length} rows, nextLink ${first.nextLink ? 'set' : 'none'}`];
			let link = first.nextLink, pages = 1, ids = new Set(first.map((r) => r.id));
			while (link && pages < 4) {
				let page;
				try {
					page = await t.read(link);
				} catch (e) {
					out.push(`page ${pages + 1}: failed (${e.request ? e.request.status : e.message})`);
					break;
				}
				pages++;
				const fresh = page.filter((r) => !ids.has(r.id)).length;
				page.forEach((r) => ids.add(r.id));
				out.push(`page ${pages}: ${page.length} rows, ${fresh} new`);
				link = page.nextLink;
			}
			out.push(`${ids.size} distinct rows`);
			return out.join('; ');
		}],
		['purge-b', 'B', async (d) => {
			await d.table.purge(new Query('todoitem').where(function () { return this.count >= 10; }));
			return 'purged';
		}]
	];
}

let devs = {};

async function run(base) {
	wire = [];
	devs = { A: await device(base, 'A'), B: await device(base, 'B') };
	const out = [];
	for (const [key, who, fn] of script()) {
		const d = devs[who];
		d.seen.length = 0;
		const from = wire.length;
		let outcome;
		try {
			outcome = await fn(d);
		} catch (e) {
			outcome = 'rejected: ' + (e.request ? `status ${e.request.status}` : e.message);
		}
		out.push({
			key, device: who, outcome,
			requests: wire.slice(from).map((r) => shape(r, base)),
			conflicts: d.seen.slice(),
			local: mask(await local(d))
		});
	}
	return out;
}

function text(o) {
	return JSON.stringify(o, null, 1).replace(/\n\s*/g, ' ');
}

async function main() {
	const allowed = allowedKeys(compatPath);
	const ours = await run(synclabUrl);
	const ref = await run(referenceUrl);
	let unlisted = 0, listed = 0;
	const used = new Set();
	for (let i = 0; i < ours.length; i++) {
		const a = ours[i], b = ref[i];
		const same = text(a) === text(b);
		const key = `js-${a.key}`;
		if (verbose || !same) {
			console.log(`${same ? 'same' : allowed.has(key) ? 'listed' : 'DIFF'}  ${key} (${a.device}): ${a.outcome}`);
		}
		if (!same) {
			for (const f of ['outcome', 'requests', 'conflicts', 'local'])
				if (text(a[f]) !== text(b[f]))
					console.log(`      ${f}: synclab ${text(a[f])}\n      ${' '.repeat(f.length)}  reference ${text(b[f])}`);
			if (allowed.has(key)) {
				listed++;
				used.add(key);
			} else
				unlisted++;
		}
	}
	for (const k of allowed)
		if (k.startsWith('js-') && !used.has(k))
			console.log(`note: ${k} is listed in ${compatPath} but did not differ`);
	const readNext = ours.find((s) => s.key === 'read-next-link');
	console.log(`js client: ${ours.length} steps, ${ours.length - listed - unlisted} the same, ` +
	    `${listed} listed differences, ${unlisted} unlisted; on synclab: ${readNext.outcome}`);
	process.exit(unlisted ? 1 : 0);
}

main().catch((e) => {
	console.error('jsclient.js:', e && e.stack || e);
	process.exit(1);
});
