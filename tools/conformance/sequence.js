// sequence.js: the request sequence of `make conformance`.
//
// Each step is one HTTP request, run in order against a fresh server; the
// same sequence runs against synclab and against the reference, and the
// answers are compared step by step (compare.js).  A step's `key` is stable:
// docs/server-compat.md lists the keys whose answers may differ, and why.
//
// Step fields:
//   key      stable name (lowercase, digits, dashes)
//   method   GET, POST, PATCH, DELETE, ...
//   path     "/tables/todoitem/{b.id}": {name.field} is replaced by a field
//            of the body saved under `name` on the same server, and every
//            path segment is percent-encoded after substitution
//   id       appended to the path as one more segment, percent-encoded
//            whole (so it may hold a '/')
//   query    [[name, value], ...], values substituted then encoded
//   headers  {name: value}, values substituted; ZUMO-API-VERSION: 2.0.0 is
//            added unless zumo is false
//   body     an object (sent as JSON, strings substituted) or a string
//            (sent as is)
//   save     name under which the parsed response body is kept
//   sleep    milliseconds to wait before the request, so that rows written
//            before and after have distinct updatedAt on both servers
'use strict';

const T = '/tables/todoitem';
const H = '/tables/harditem';
const P = '/tables/probe';
const byId = [['$orderby', 'id']];

function list(key, query, extra) {
	return Object.assign({ key, method: 'GET', path: T, query }, extra || {});
}

function filter(key, expr, extra) {
	return list(key, [['$filter', expr], ['$orderby', 'id']], extra);
}

const steps = [
	// ZUMO-API-VERSION: every request must carry version 2.x.
	{ key: 'zumo-missing', method: 'GET', path: T, zumo: false },
	{ key: 'zumo-query', method: 'GET', path: T, zumo: false,
	  query: [['ZUMO-API-VERSION', '2.0.0']] },
	{ key: 'zumo-old', method: 'GET', path: T, zumo: false,
	  headers: { 'ZUMO-API-VERSION': '1.0.0' } },
	{ key: 'zumo-lowercase', method: 'GET', path: T, zumo: false,
	  headers: { 'zumo-api-version': '2.0.0' } },
	// 3.0.0 and an OData v4 date, as the Datasync client sends them.
	{ key: 'zumo-3', method: 'GET', path: T, zumo: false,
	  headers: { 'ZUMO-API-VERSION': '3.0.0' } },

	// Inserts.
	{ key: 'insert-no-id', method: 'POST', path: T, save: 'a',
	  body: { text: 'alpha', complete: false, count: 1 } },
	{ key: 'insert-with-id', method: 'POST', path: T, save: 'b',
	  body: { id: 'item-b', text: 'bravo', complete: true, count: 2 } },
	{ key: 'insert-c', method: 'POST', path: T,
	  body: { id: 'item-c', text: 'charlie', complete: false, count: 3 } },
	{ key: 'insert-d', method: 'POST', path: T,
	  body: { id: 'item-d', text: 'delta', complete: true, count: 4 } },
	{ key: 'insert-e', method: 'POST', path: T,
	  body: { id: 'item-e', text: 'echo', complete: false, count: 5 } },
	{ key: 'insert-partial', method: 'POST', path: T,
	  body: { id: 'item-f', text: 'foxtrot' } },
	{ key: 'insert-odd-id', method: 'POST', path: T,
	  body: { id: 'odd id/é', text: 'golf', complete: false, count: 7 } },
	{ key: 'insert-duplicate', method: 'POST', path: T,
	  body: { id: 'item-b', text: 'bravo again', complete: false, count: 9 } },
	{ key: 'insert-reserved-createdat', method: 'POST', path: T,
	  body: { id: 'item-r1', text: 'r', createdAt: '2026-01-01T00:00:00.000Z' } },
	{ key: 'insert-reserved-updatedat', method: 'POST', path: T,
	  body: { id: 'item-r2', text: 'r', updatedAt: '2026-01-01T00:00:00.000Z' } },
	{ key: 'insert-reserved-deleted', method: 'POST', path: T,
	  body: { id: 'item-r3', text: 'r', deleted: false } },
	{ key: 'insert-malformed-json', method: 'POST', path: T,
	  body: '{"text": "unterminated' },
	{ key: 'insert-unknown-table', method: 'POST', path: '/tables/nosuchtable',
	  body: { text: 'x' } },

	// Reads by id.
	{ key: 'read-by-id', method: 'GET', path: T + '/item-b' },
	{ key: 'read-generated-id', method: 'GET', path: T + '/{a.id}' },
	{ key: 'read-odd-id', method: 'GET', path: T, id: 'odd id/é' },
	{ key: 'update-odd-id', method: 'PATCH', path: T, id: 'odd id/é',
	  headers: { 'If-Match': '"MQ=="' }, body: { count: 8 } },
	{ key: 'read-missing', method: 'GET', path: T + '/no-such-item' },
	{ key: 'read-unknown-table', method: 'GET', path: '/tables/nosuchtable/1' },

	// Updates: current, stale and absent versions.
	{ key: 'update-current-quoted', method: 'PATCH', path: T + '/item-b',
	  headers: { 'If-Match': '"MQ=="' }, body: { text: 'bravo 2' } },
	{ key: 'update-current-unquoted', method: 'PATCH', path: T + '/item-b',
	  headers: { 'If-Match': 'Mg==' }, body: { count: 20 } },
	{ key: 'update-stale', method: 'PATCH', path: T + '/item-b',
	  headers: { 'If-Match': '"MQ=="' }, body: { text: 'lost' } },
	{ key: 'update-stale-body-version', method: 'PATCH', path: T + '/item-b',
	  body: { text: 'lost', version: 'MQ==' } },
	{ key: 'update-current-body-version', method: 'PATCH', path: T + '/item-b',
	  body: { complete: false, version: 'Mw==' } },
	{ key: 'update-no-version', method: 'PATCH', path: T + '/item-b',
	  body: { complete: true } },
	{ key: 'update-if-match-star', method: 'PATCH', path: T + '/item-b',
	  headers: { 'If-Match': '*' }, body: { text: 'star' } },
	{ key: 'update-missing', method: 'PATCH', path: T + '/no-such-item',
	  body: { text: 'x' } },
	{ key: 'update-id-mismatch', method: 'PATCH', path: T + '/item-c',
	  body: { id: 'item-z', text: 'x' } },
	{ key: 'update-id-same', method: 'PATCH', path: T + '/item-c',
	  body: { id: 'item-c', text: 'charlie' } },
	{ key: 'update-reserved', method: 'PATCH', path: T + '/item-c',
	  body: { updatedAt: '2026-01-01T00:00:00.000Z' } },
	{ key: 'update-generated', method: 'PATCH', path: T + '/{a.id}',
	  headers: { 'If-Match': '"{a.version}"' }, body: { count: 11 } },
	{ key: 'update-null', method: 'PATCH', path: T + '/item-f',
	  body: { complete: null } },
	{ key: 'update-malformed-json', method: 'PATCH', path: T + '/item-f',
	  body: '{"count": }' },

	// Deletes (todoitem has soft delete on), undelete.
	{ key: 'delete-stale', method: 'DELETE', path: T + '/item-c',
	  headers: { 'If-Match': '"MQ=="' } },
	{ key: 'delete-current', method: 'DELETE', path: T + '/item-c',
	  headers: { 'If-Match': '"Mg=="' } },
	{ key: 'read-soft-deleted', method: 'GET', path: T + '/item-c' },
	{ key: 'read-soft-deleted-include', method: 'GET', path: T + '/item-c',
	  query: [['__includeDeleted', 'true']] },
	{ key: 'delete-soft-deleted', method: 'DELETE', path: T + '/item-c' },
	{ key: 'update-soft-deleted', method: 'PATCH', path: T + '/item-c',
	  body: { text: 'ghost' } },
	{ key: 'delete-no-version', method: 'DELETE', path: T + '/item-e' },
	{ key: 'insert-over-soft-deleted', method: 'POST', path: T,
	  body: { id: 'item-e', text: 'echo again' } },
	{ key: 'undelete-stale', method: 'POST', path: T + '/item-c',
	  headers: { 'If-Match': '"MQ=="' } },
	{ key: 'undelete-current', method: 'POST', path: T + '/item-c',
	  headers: { 'If-Match': '"Mw=="' } },
	{ key: 'undelete-no-version', method: 'POST', path: T + '/item-e' },
	{ key: 'delete-again-for-list', method: 'DELETE', path: T + '/item-e' },
	{ key: 'delete-missing', method: 'DELETE', path: T + '/no-such-item' },

	// Hard delete (harditem has soft delete off).
	{ key: 'hard-insert', method: 'POST', path: H,
	  body: { id: 'h1', text: 'hard', complete: false, count: 1 } },
	{ key: 'hard-delete-stale', method: 'DELETE', path: H + '/h1',
	  headers: { 'If-Match': '"Mg=="' } },
	{ key: 'hard-delete', method: 'DELETE', path: H + '/h1',
	  headers: { 'If-Match': '"MQ=="' } },
	{ key: 'hard-read-deleted', method: 'GET', path: H + '/h1' },
	{ key: 'hard-delete-again', method: 'DELETE', path: H + '/h1' },
	{ key: 'hard-list-include-deleted', method: 'GET', path: H,
	  query: [['__includeDeleted', 'true']] },
	{ key: 'hard-reinsert', method: 'POST', path: H,
	  body: { id: 'h1', text: 'again', complete: true, count: 2 } },

	// Two marker writes with distinct times, for the updatedAt filters.
	{ key: 'marker-1', method: 'PATCH', path: T + '/item-d', sleep: 30,
	  body: { text: 'delta 2' }, save: 'm1' },
	{ key: 'marker-2', method: 'PATCH', path: T + '/item-f', sleep: 30,
	  body: { count: 6 }, save: 'm2' },

	// Lists.
	list('list-default', byId),
	list('list-no-orderby', undefined),
	list('list-include-deleted', [['__includeDeleted', 'true'], ['$orderby', 'id']]),
	list('list-include-deleted-false', [['__includeDeleted', 'false'], ['$orderby', 'id']]),

	// $filter.
	filter('filter-eq-string', "text eq 'delta 2'"),
	filter('filter-ne', "text ne 'alpha'"),
	filter('filter-cast',
	    'updatedAt ge cast(2026-01-01T00:00:00.000Z,Edm.DateTimeOffset)'),
	filter('filter-gt', 'count gt 4'),
	filter('filter-ge', 'count ge 4'),
	filter('filter-lt', 'count lt 6'),
	filter('filter-le', 'count le 6'),
	filter('filter-and', 'count ge 2 and complete eq true'),
	filter('filter-or', "text eq 'alpha' or count eq 20"),
	filter('filter-not', 'not (complete eq true)'),
	filter('filter-bool-false', 'complete eq false'),
	filter('filter-null', 'count eq null'),
	filter('filter-ne-null', 'complete ne null'),
	filter('filter-id', "id eq 'item-d'"),
	filter('filter-quote-escape', "text eq 'it''s'"),
	filter('filter-precedence', "count gt 10 or count lt 2 and complete eq false"),
	filter('filter-parens', "(count gt 10 or count lt 2) and complete eq false"),
	filter('filter-arith', 'count add 1 eq 7'),
	filter('filter-updatedat-ge', "updatedAt ge datetimeoffset'{m1.updatedAt}'"),
	filter('filter-updatedat-gt', "updatedAt gt datetimeoffset'{m1.updatedAt}'"),
	filter('filter-updatedat-lt', "updatedAt lt datetimeoffset'{m1.updatedAt}'"),
	filter('filter-updatedat-le', "updatedAt le datetimeoffset'{m1.updatedAt}'"),
	filter('filter-updatedat-eq', "updatedAt eq datetimeoffset'{m2.updatedAt}'"),
	filter('filter-datetimeoffset-7-digits',
	    "updatedAt ge datetimeoffset'2020-01-01T00:00:00.0000000+02:00'"),
	filter('filter-deleted-include', 'deleted eq true',
	    { query: [['$filter', 'deleted eq true'], ['__includeDeleted', 'true'], ['$orderby', 'id']] }),
	filter('filter-unknown-column', 'nosuchcolumn eq 1'),
	filter('filter-syntax-error', "text eq 'alpha"),
	filter('filter-startswith', "startswith(text, 'al')"),
	filter('filter-endswith', "endswith(text, 'pha')"),
	filter('filter-substringof', "substringof('lph', text)"),
	filter('filter-indexof', "indexof(text, 'lph') eq 1"),
	filter('filter-tolower', "tolower(text) eq 'alpha'"),
	// The functions and operators the reference's query compiler knows.
	filter('filter-substring-3', "substring(text, 1, 3) eq 'lph'"),
	filter('filter-substring-2', "substring(text, 1) eq 'lpha'"),
	filter('filter-substring-negative', "substring(text, -1, 2) eq 'a'"),
	filter('filter-year', 'year(createdAt) ge 2000'),
	filter('filter-month', 'month(createdAt) ge 1'),
	filter('filter-day', 'day(createdAt) ge 1'),
	filter('filter-hour', 'hour(createdAt) ge 0'),
	filter('filter-minute', 'minute(createdAt) ge 0'),
	filter('filter-second', 'second(createdAt) ge 0'),
	filter('filter-round', 'round(count div 4) eq 1'),
	filter('filter-floor', 'floor(count div 4) eq 0'),
	filter('filter-ceiling', 'ceiling(count div 4) eq 1'),
	filter('filter-sub', 'count sub 1 eq 3'),
	filter('filter-mul', 'count mul 2 eq 8'),
	filter('filter-div', 'count div 4 eq 0.5'),
	filter('filter-div-integers', 'count eq 5 div 2'),
	filter('filter-div-real-literal', 'count eq 6.0 div 4 mul 4'),
	filter('filter-div-zero', 'count div 0 eq null'),
	filter('filter-mod', 'count mod 4 eq 2'),
	filter('filter-precedence-arith', 'count add 2 mul 3 eq 8'),
	filter('filter-function-type', 'round(text) eq 0'),
	filter('filter-function-arity', 'round(count, 1) eq 1'),

	// $orderby, $top, $skip, $select, $inlinecount.
	list('orderby-updatedat', [['$orderby', 'updatedAt'], ['__includeDeleted', 'true']]),
	list('orderby-desc', [['$orderby', 'count desc,id']]),
	list('orderby-two-keys', [['$orderby', 'complete,text desc']]),
	list('top', [['$top', '2'], ['$orderby', 'id']]),
	list('top-zero', [['$top', '0'], ['$orderby', 'id']]),
	list('top-1000', [['$top', '1000'], ['$orderby', 'id']]),
	list('top-over-1000', [['$top', '1001'], ['$orderby', 'id']]),
	list('top-negative', [['$top', '-1'], ['$orderby', 'id']]),
	list('skip', [['$skip', '2'], ['$orderby', 'id']]),
	list('skip-top', [['$skip', '1'], ['$top', '2'], ['$orderby', 'id']]),
	list('skip-past-end', [['$skip', '100'], ['$orderby', 'id']]),
	list('select', [['$select', 'text,count'], ['$orderby', 'id']]),
	list('select-with-id', [['$select', 'id,text'], ['$orderby', 'id']]),
	list('inlinecount', [['$inlinecount', 'allpages'], ['$top', '2'], ['$orderby', 'id']]),
	list('inlinecount-filter', [['$inlinecount', 'allpages'],
	    ['$filter', 'complete eq true'], ['$orderby', 'id']]),
	list('inlinecount-none', [['$inlinecount', 'none'], ['$orderby', 'id']]),

	// Transport: methods and body sizes.
	{ key: 'method-put', method: 'PUT', path: T + '/item-b', body: { text: 'x' } },
	{ key: 'method-delete-collection', method: 'DELETE', path: T },
	{ key: 'body-over-1mib', method: 'POST', path: T,
	  body: JSON.stringify({ id: 'big', text: 'x'.repeat(2 << 20) }) },

	// Where the reference has a defect (the probe table).
	{ key: 'probe-insert', method: 'POST', path: P,
	  body: { id: 'p1', text: 'probe', complete: false, count: 1 } },
	{ key: 'patch-empty-body', method: 'PATCH', path: P + '/p1', body: {} },
	{ key: 'patch-unknown-column', method: 'PATCH', path: P + '/p1',
	  body: { nosuchcolumn: 1 } },
	{ key: 'insert-unknown-column', method: 'POST', path: P,
	  body: { id: 'p2', nosuchcolumn: 1 } },
	{ key: 'insert-string-for-number', method: 'POST', path: P,
	  body: { id: 'p3', count: 'abc' } },
	{ key: 'insert-string-for-bool', method: 'POST', path: P,
	  body: { id: 'p4', complete: 'false' } },
	{ key: 'insert-client-version', method: 'POST', path: P,
	  body: { id: 'p5', text: 'v', version: 'Nw==' } },
	{ key: 'read-client-version', method: 'GET', path: P + '/p5' },
	{ key: 'insert-date', method: 'POST', path: P,
	  body: { id: 'p6', text: 'dated', due: '2026-03-02T09:00:00.000Z' } },
	{ key: 'read-date', method: 'GET', path: P + '/p6' },
	{ key: 'body-over-100kib', method: 'POST', path: P,
	  body: { id: 'p7', text: 'y'.repeat(200 * 1024) } },
	{ key: 'probe-list', method: 'GET', path: P,
	  query: [['$orderby', 'id'], ['$select', 'id,text,complete,count,version']] },
];

// A full page: 55 rows, then a list without $top (50 rows and a next link).
for (let i = 0; i < 55; i++) {
	const id = 'page-' + String(i).padStart(2, '0');
	steps.push({ key: 'page-insert', method: 'POST', path: H,
	  body: { id, text: 'row ' + i, complete: i % 2 === 0, count: i } });
}
steps.push({ key: 'page-default', method: 'GET', path: H, query: [['$orderby', 'id']] });
steps.push({ key: 'page-second', method: 'GET', path: H,
  query: [['$orderby', 'id'], ['$skip', '50']] });
steps.push({ key: 'page-top-10', method: 'GET', path: H,
  query: [['$orderby', 'id'], ['$top', '10']] });
steps.push({ key: 'page-top-60', method: 'GET', path: H,
  query: [['$orderby', 'id'], ['$top', '60']] });
steps.push({ key: 'page-count', method: 'GET', path: H,
  query: [['$orderby', 'id'], ['$top', '1'], ['$inlinecount', 'allpages']] });

module.exports = steps;
