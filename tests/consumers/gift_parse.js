// Parse a GIFT file with gift-pegjs and print the parse tree as JSON.
// usage: NODE_PATH=<node_modules> node gift_parse.js FILE
const { parse } = require("gift-pegjs");
const fs = require("fs");
process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));
