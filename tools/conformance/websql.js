// websql.js: window.sqlitePlugin (the Cordova SQLite plugin's API) over the
// sqlite3 package in memory, so that the JavaScript client SDK's own
// offline store, MobileServiceSqliteStore, runs unchanged in Node.
//
// The plugin's API is WebSQL's: db.transaction(fn, error, success) calls fn
// with a transaction whose executeSql(sql, params, ok, fail) queues a
// statement; callbacks may queue more; the transaction commits when the
// queue is empty and rolls back at the first failure.  Transactions run one
// at a time, in the order they were asked for, as on a device.
'use strict';

const sqlite3 = require('sqlite3');

function resultSet(rows, ctx) {
	return {
		rows: { length: rows.length, item: (i) => rows[i] },
		rowsAffected: ctx ? ctx.changes : 0,
		insertId: ctx ? ctx.lastID : undefined
	};
}

function run(db, sql, params) {
	return new Promise((resolve, reject) => {
		if (/^\s*select|^\s*pragma/i.test(sql))
			db.all(sql, params || [], (err, rows) =>
			    err ? reject(err) : resolve(resultSet(rows)));
		else
			db.run(sql, params || [], function (err) {
				err ? reject(err) : resolve(resultSet([], this));
			});
	});
}

function openDatabase(opts, success) {
	const db = new sqlite3.Database(':memory:');
	let chain = Promise.resolve();
	const handle = {
		transaction(fn, onError, onSuccess) {
			chain = chain.then(async () => {
				const queue = [];
				const tx = {
					executeSql(sql, params, ok, fail) {
						queue.push({ sql, params, ok, fail });
					}
				};
				await run(db, 'BEGIN');
				try {
					fn(tx);
					while (queue.length) {
						const st = queue.shift();
						let res;
						try {
							res = await run(db, st.sql, st.params);
						} catch (e) {
							if (st.fail && st.fail(tx, e) === false)
								continue;
							throw e;
						}
						if (st.ok)
							st.ok(tx, res);
					}
				} catch (e) {
					await run(db, 'ROLLBACK');
					if (onError)
						onError(e);
					return;
				}
				await run(db, 'COMMIT');
				if (onSuccess)
					onSuccess();
			});
		},
		readTransaction(fn, onError, onSuccess) {
			this.transaction(fn, onError, onSuccess);
		},
		executeSql(sql, params, ok, fail) {
			this.transaction((tx) => tx.executeSql(sql, params,
			    (t, res) => ok && ok(res)), fail);
		},
		close() {
			db.close();
		}
	};
	setImmediate(() => success && success(handle));
	return handle;
}

module.exports = { openDatabase };
