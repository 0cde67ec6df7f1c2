// reference.js: the reference backend, azure-mobile-apps 4.0.2 for Node with
// its sqlite provider (in memory), on loopback.
//
//   node reference.js PORT SCENARIO.json
//
// The tables (name, columns, softDelete) are read from the "tables" of a
// synclab scenario file, the same file `synclab serve --scenario` is given,
// so both servers start from one definition.  Column types string, number,
// bool, date map to the reference's string, number, boolean, datetime.
// Dynamic schema is off, as a production backend would run it.
//
// With an "auth" section the app runs as it does behind App Service
// Authentication on Azure: App Service checks X-ZUMO-AUTH and answers the
// 401s in front of the app (synclab plays that part, on its virtual
// clock), then passes the header on; the app decodes it without checking
// it again (auth.validateTokens false, what the SDK sets itself when
// WEBSITE_AUTH_ENABLED says App Service validates) and context.user.id is
// the token's sub.  A table with "access": "authenticated" gets the SDK's
// access "authenticated" (401 for an anonymous caller), and one with a
// "userColumn" the SDK's perUser with that userIdColumn (every read,
// update and delete filtered on the caller, every insert and update
// stamped with it).  PORT 0 picks a free port.  Prints "listening on PORT" once the tables exist and
// the socket is bound; SIGTERM closes the server and exits 0.
'use strict';

const fs = require('fs');
const express = require('express');
const azureMobileApps = require('azure-mobile-apps');

const [portArg, file] = process.argv.slice(2);
const port = Number(portArg);
const types = { string: 'string', number: 'number', bool: 'boolean', boolean: 'boolean', date: 'datetime', datetime: 'datetime' };

if (!Number.isInteger(port) || !file) {
	console.error('usage: node reference.js PORT SCENARIO.json');
	process.exit(2);
}

const scenario = JSON.parse(fs.readFileSync(file, 'utf8'));
const auth = scenario.auth || null;
const app = express();
const mobile = azureMobileApps({
	homePage: false,
	swagger: false,
	logging: { level: 'error' },
	data: { provider: 'sqlite', filename: ':memory:', dynamicSchema: false },
	auth: auth ? { validateTokens: false } : {}
});

for (const t of scenario.tables) {
	const columns = {};
	for (const [col, type] of Object.entries(t.columns)) {
		if (!types[type]) {
			console.error(`reference.js: ${file}: unknown type "${type}" for ${t.name}.${col}`);
			process.exit(2);
		}
		columns[col] = types[type];
	}
	const def = { columns, softDelete: !!t.softDelete, dynamicSchema: false };
	const who = auth && auth.tables && auth.tables[t.name];
	if (who && who.access === 'authenticated')
		def.access = 'authenticated';
	if (who && who.userColumn) {
		def.perUser = true;
		def.userIdColumn = who.userColumn;
	}
	mobile.tables.add(t.name, def);
}
app.use(mobile);
mobile.tables.initialize().then(() => {
	const server = app.listen(port, '127.0.0.1', () => {
		console.log(`listening on ${server.address().port}`);
	});
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}, (err) => {
	console.error('reference.js: cannot create the tables:', err);
	process.exit(1);
});
