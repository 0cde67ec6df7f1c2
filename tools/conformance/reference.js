// reference.js: the reference backend, azure-mobile-apps 4.0.2 for Node with
// its sqlite provider (in memory), on loopback.
//
//   node reference.js PORT SCENARIO.json
//
// The tables (name, columns, softDelete) are read from the "tables" of a
// synclab scenario file, the same file `synclab serve --scenario` is given,
// so both servers start from one definition.  Column types string, number,
// bool, date map to the reference's string, number, boolean, datetime.
// Dynamic schema is off, as a production backend would run it.  PORT 0
// picks a free port.  Prints "listening on PORT" once the tables exist and
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

const app = express();
const mobile = azureMobileApps({
	homePage: false,
	swagger: false,
	logging: { level: 'error' },
	data: { provider: 'sqlite', filename: ':memory:', dynamicSchema: false }
});

for (const t of JSON.parse(fs.readFileSync(file, 'utf8')).tables) {
	const columns = {};
	for (const [col, type] of Object.entries(t.columns)) {
		if (!types[type]) {
			console.error(`reference.js: ${file}: unknown type "${type}" for ${t.name}.${col}`);
			process.exit(2);
		}
		columns[col] = types[type];
	}
	mobile.tables.add(t.name, { columns, softDelete: !!t.softDelete, dynamicSchema: false });
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
