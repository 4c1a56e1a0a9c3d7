'use strict';
// Drives the Drip door with Drip's official npm client (drip-nodejs).
//
//   [DRIP_TOKEN_TYPE=Bearer] node drip.js BASE_URL TOKEN ACCOUNT_ID METHOD PAYLOAD_JSON_PATH
//
// DRIP_TOKEN_TYPE is the client's tokenType option (default Basic: the API token as the Basic
// user name, no colon; Bearer: an OAuth access token, as Drip's docs tell public integrations).
// METHOD is a drip-nodejs client method (createUpdateOrder, createUpdateBatchOrders,
// createUpdateRefund, ...), called with the parsed payload file. Prints one JSON line:
// {"ok": true, "status", "data"} for the client's response, or {"ok": false, "status", "data",
// "name", "message"} for the error it rejected with (status/data from the HTTP answer, if any).
const path = require('path');

const [baseUrl, token, accountId, method, payloadPath] = process.argv.slice(2);

// drip-nodejs has no option for its API host: every request URL is
// `require('./helpers').baseUrl + resourcePath` (lib/index.js get/post/put/del), read from that
// module's exported object on each call, with baseUrl hard-coded to 'https://api.getdrip.com/'.
// So the script repoints that one constant at the local door (its prefix is /drip/); the client's
// own axios call, Authorization header and body shapes are used unchanged.
const clientDir = path.dirname(require.resolve('drip-nodejs/package.json'));
require(path.join(clientDir, 'lib', 'helpers')).baseUrl = `${baseUrl.replace(/\/$/, '')}/drip/`;

const tokenType = process.env.DRIP_TOKEN_TYPE || undefined;
const client = require('drip-nodejs')({ token, tokenType, accountId });
const payload = JSON.parse(require('fs').readFileSync(payloadPath, 'utf8'));

function print(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

Promise.resolve()
  .then(() => client[method](payload))
  .then(
    (response) => print({ ok: true, status: response.status, data: response.data }),
    (error) => print({
      ok: false,
      status: error.response ? error.response.status : null,
      data: error.response ? error.response.data : null,
      name: error.name,
      message: error.message
    })
  );
