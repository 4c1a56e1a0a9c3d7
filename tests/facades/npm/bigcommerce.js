'use strict';
// Drives the BigCommerce door with the npm client node-bigcommerce.
//
//   node bigcommerce.js BASE_URL TOKEN STORE_HASH METHOD API_PATH [PAYLOAD_JSON_PATH]
//
// METHOD is get, post, put or delete; API_PATH is what a partner passes the client, e.g.
// '/orders/count' (the client prefixes /stores/{hash}/v2). Prints one JSON line:
// {"ok": true, "data"} with what the client resolved to (parsed JSON, or the raw text such as ""
// for 204), or {"ok": false, "code", "responseBody", "message"} for the error it rejected with.
const http = require('http');
const https = require('https');

const [baseUrl, token, storeHash, method, apiPath, payloadPath] = process.argv.slice(2);

// node-bigcommerce has no option for its API host: lib/request.js calls
// https.request({hostname: 'api.bigcommerce.com', port: 443, path: '/stores/{hash}/v2/...'}).
// The only transport hook it offers (config.agent) cannot turn that into plain HTTP or add the
// door's /bigcommerce prefix, so the script intercepts at the HTTP level: requests for
// api.bigcommerce.com go over http.request to the local door, under its prefix, with the
// client's own method, headers and body unchanged. Anything else still goes to https.
const door = new URL(baseUrl);
const httpsRequest = https.request;
https.request = function request(options, callback) {
  if (typeof options === 'object' && !(options instanceof URL)
      && options.hostname === 'api.bigcommerce.com') {
    return http.request({
      ...options,
      protocol: 'http:',
      hostname: door.hostname,
      port: door.port,
      path: `${door.pathname.replace(/\/$/, '')}/bigcommerce${options.path}`
    }, callback);
  }
  return httpsRequest.apply(this, arguments);
};

const BigCommerce = require('node-bigcommerce');

const client = new BigCommerce({ clientId: 'orderbridge-tests', accessToken: token, storeHash });
const payload = payloadPath ? JSON.parse(require('fs').readFileSync(payloadPath, 'utf8')) : undefined;

function print(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

Promise.resolve()
  .then(() => (payload === undefined ? client[method](apiPath) : client[method](apiPath, payload)))
  .then(
    (data) => print({ ok: true, data }),
    (error) => print({
      ok: false,
      code: error.code === undefined ? null : error.code,
      responseBody: error.responseBody === undefined ? null : error.responseBody,
      message: error.message
    })
  );
