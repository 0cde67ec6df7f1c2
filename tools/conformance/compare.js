// compare.js: runs sequence.js against synclab and against the reference
// server and compares the answers step by step.
//
//   node compare.js SYNCLAB_URL REFERENCE_URL COMPAT_MD [--verbose]
//
// Compared per step: the status; the ETag (when the reference sends a strong
// one: list answers carry Express's weak content hash, which means nothing
// here); whether a next-page Link is present, and where it points (path and
// query only); the JSON body, after createdAt/updatedAt values become
// "<time>" and generated uuids become "<uuid>".
//
// Allowed differences are read from COMPAT_MD: every table row whose first
// cell holds keys in backticks.  A key is either a step key of sequence.js
// (that step may differ in any way) or the class error-text, which applies
// to every step and hides only its own kind of difference: both bodies
// are {"error": text} and only the texts differ.
// Exit status: 0 when every difference is listed, 1 otherwise.  Listed keys
// that did not differ are reported, so stale entries are noticed.
'use strict';

const http = require('http');
const steps = require('./sequence.js');
const { allowedKeys } = require('./compat.js');
const CLASSES = ['error-text'];

const [synclabUrl, referenceUrl, compatPath] = process.argv.slice(2);
const verbose = process.argv.includes('--verbose');
if (!synclabUrl || !referenceUrl || !compatPath) {
	console.error('usage: node compare.js SYNCLAB_URL REFERENCE_URL COMPAT_MD [--verbose]');
	process.exit(2);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

// {name.field} -> the field of the body saved under name on this server.
function subst(s, saved) {
	return s.replace(/\{([a-z0-9]+)\.([A-Za-z]+)\}/g, (all, name, field) => {
		const body = saved[name];
		if (!body || body[field] === undefined)
			throw new Error(`nothing saved for ${all}`);
		return String(body[field]);
	});
}

function substDeep(v, saved) {
	if (typeof v === 'string')
		return subst(v, saved);
	if (Array.isArray(v))
		return v.map((x) => substDeep(x, saved));
	if (v && typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v))
			o[k] = substDeep(v[k], saved);
		return o;
	}
	return v;
}

function request(base, step, saved, agent) {
	let path = subst(step.path, saved).split('/')
	    .map((seg) => encodeURIComponent(seg)).join('/');
	if (step.id !== undefined)
		path += '/' + encodeURIComponent(subst(step.id, saved));
	const query = (step.query || [])
	    .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(subst(v, saved)))
	    .join('&');
	const headers = {};
	if (step.zumo !== false)
		headers['ZUMO-API-VERSION'] = '2.0.0';
	for (const [k, v] of Object.entries(step.headers || {}))
		headers[k] = subst(v, saved);
	let body = null;
	if (step.body !== undefined) {
		body = typeof step.body === 'string' ? step.body
		    : JSON.stringify(substDeep(step.body, saved));
		headers['Content-Type'] = 'application/json';
		headers['Content-Length'] = Buffer.byteLength(body);
	}
	const url = new URL(base);
	return new Promise((resolve) => {
		const req = http.request({
			host: url.hostname, port: url.port, method: step.method,
			path: path + (query ? '?' + query : ''), headers, agent
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({
				status: res.statusCode, headers: res.headers,
				text: Buffer.concat(chunks).toString('utf8')
			}));
		});
		req.on('error', (e) => resolve({ status: 0, headers: {}, text: String(e) }));
		if (body !== null)
			req.write(body);
		req.end();
	});
}

async function run(base) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const saved = {};
	const out = [];
	for (const step of steps) {
		if (step.sleep)
			await new Promise((r) => setTimeout(r, step.sleep));
		const res = await request(base, step, saved, agent);
		try {
			res.json = JSON.parse(res.text);
		} catch (e) {
			res.json = undefined;
		}
		if (step.save && res.json && typeof res.json === 'object')
			saved[step.save] = res.json;
		out.push(res);
	}
	agent.destroy();
	return out;
}

// opts.errorText: an {"error": text} object keeps only its shape.
function normalise(v, key, opts) {
	if (typeof v === 'string') {
		if ((key === 'createdAt' || key === 'updatedAt') && ISO.test(v))
			return '<time>';
		if (UUID.test(v))
			return '<uuid>';
		return v;
	}
	if (Array.isArray(v))
		return v.map((x) => normalise(x, undefined, opts));
	if (v && typeof v === 'object') {
		const keys = Object.keys(v);
		if (opts.errorText && keys.length === 1 && typeof v.error === 'string')
			return { error: '<message>' };
		const o = {};
		for (const k of keys.sort())
			o[k] = normalise(v[k], k, opts);
		return o;
	}
	return v;
}

// Where a next link points, without scheme, host and port (which differ by
// construction), e.g. "/tables/harditem?$orderby=id&$skip=50".
function nextLink(h) {
	const link = h.link;
	if (!link)
		return null;
	// RFC 8288 wants <URL>; the reference sends the bare URL.
	const m = /^\s*<?([^<>;\s]*)>?\s*;\s*rel="?next"?/.exec(link);
	if (!m)
		return 'unparsable: ' + link;
	try {
		const u = new URL(m[1], 'http://x');
		return decodeURIComponent(u.pathname + u.search);
	} catch (e) {
		return 'unparsable: ' + link;
	}
}

function shorten(s) {
	s = (typeof s === 'string' ? s : JSON.stringify(s)).replace(/\s*\n\s*/g, ' ');
	return s.length > 300 ? s.slice(0, 300) + '...' : s;
}

function rows(v) {
	if (Array.isArray(v))
		return v.length;
	if (v && Array.isArray(v.results))
		return v.results.length;
	return null;
}

// The differences of one step, with the given classes applied.
function differences(step, ours, ref, classes) {
	const d = [];
	if (ours.status !== ref.status)
		d.push(`status: reference ${ref.status}, synclab ${ours.status}`);
	const refTag = ref.headers.etag;
	if (refTag && !refTag.startsWith('W/') && refTag !== ours.headers.etag)
		d.push(`ETag: reference ${refTag}, synclab ${ours.headers.etag || '(none)'}`);
	if (!refTag && ours.headers.etag)
		d.push(`ETag: reference (none), synclab ${ours.headers.etag}`);
	const refLink = nextLink(ref.headers), ourLink = nextLink(ours.headers);
	if (refLink !== ourLink)
		d.push(`Link: reference ${refLink || '(none)'}, synclab ${ourLink || '(none)'}`);
	if (ref.json === undefined || ours.json === undefined) {
		if (ref.text.trim() !== ours.text.trim())
			d.push(`body: reference ${shorten(ref.text)}, synclab ${shorten(ours.text)}`);
		return d;
	}
	const errorText = classes.has('error-text');
	const a = JSON.stringify(normalise(ref.json, undefined, { errorText }));
	const b = JSON.stringify(normalise(ours.json, undefined, { errorText }));
	if (a !== b) {
		const nr = rows(ref.json), no = rows(ours.json);
		d.push(`body: reference ${shorten(a)}, synclab ${shorten(b)}` +
		    (nr !== no && nr !== null && no !== null ? ` (rows: reference ${nr}, synclab ${no})` : ''));
	}
	return d;
}

async function main() {
	const allowed = allowedKeys(compatPath);
	const ours = await run(synclabUrl);
	const ref = await run(referenceUrl);
	const seen = new Set();
	const listedClasses = new Set(CLASSES.filter((c) => allowed.has(c)));
	let listed = 0, unlisted = 0, same = 0;
	for (let i = 0; i < steps.length; i++) {
		const key = steps[i].key;
		const raw = differences(steps[i], ours[i], ref[i], new Set());
		if (raw.length === 0) {
			same++;
			if (verbose)
				console.log(`same     ${key} (${ours[i].status})`);
			continue;
		}
		const d = differences(steps[i], ours[i], ref[i], listedClasses);
		if (d.length === 0) {
			// Only class differences: name the classes that explain it.
			const used = [...listedClasses].filter((c) =>
			    differences(steps[i], ours[i], ref[i], new Set([c])).length === 0);
			for (const c of used.length ? used : listedClasses)
				seen.add(c);
			listed++;
			console.log(`listed   ${key} (${(used.length ? used : [...listedClasses]).join(', ')})`);
			if (verbose)
				for (const line of raw)
					console.log('         ' + line);
			continue;
		}
		if (allowed.has(key)) {
			listed++;
			seen.add(key);
			console.log(`listed   ${key}`);
		} else {
			unlisted++;
			console.log(`DIFFERS  ${key}`);
		}
		for (const line of d)
			console.log('         ' + line);
	}
	// js-* and scenario-* keys and the class pull-pages belong to
	// jsclient.js and scenarios.js.
	for (const key of allowed)
		if (!seen.has(key) && !/^(js-|scenario-)/.test(key) && key !== 'pull-pages')
			console.log(`note     ${key} is listed in ${compatPath} but answered the same`);
	console.log(`${steps.length} requests per server: ${same} the same, ` +
	    `${listed} listed differences, ${unlisted} unlisted differences`);
	process.exit(unlisted === 0 ? 0 : 1);
}

main().catch((e) => {
	console.error('compare.js:', e);
	process.exit(1);
});
