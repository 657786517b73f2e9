// @ts-check
/**
 * The local server's front door: a Node HTTP server that takes the clients' connections and hands
 * each request to workerd on a connection of its own, with at most a few uploads inside workerd at
 * a time. It stands where Cloudflare's edge stands in production; workerd never meets a client.
 *
 * Why, when workerd can listen itself: our worker decodes photos on workerd's one thread, and 50
 * uploads at once keep that thread busy for 10-30 s, in turns of several seconds. workerd's HTTP
 * server (KJ) then breaks its own connections (measured, load-tests/RESULTS.md "The local server"):
 *   - it closes an idle keep-alive connection 5 s after a timer armed with its event loop's clock,
 *     which stands still during a turn: answers finished in a 3-s turn had their connections closed
 *     2 s after the client got them. A client reusing one (fetch keeps idle connections 4 s) got
 *     ECONNRESET: 10.6% of 1,000 uploads sent 50 at once, up to 34 of 50 in a round. wrangler dev's
 *     proxy meets the same early close on its pooled connections to our workerd and answers 503
 *     "Your worker restarted mid-request" (workers-sdk#14641): 6.1%;
 *   - a new connection whose request headers it has not read within 15 s (its headerTimeout) is
 *     reset: with 50 large uploads queued, up to 18 of them, all at once;
 *   - the worker's own 30-s body deadline ran out for uploads that waited behind the others (408).
 * So: one connection per request, never pooled (nothing idle to be closed under us), and at most
 * MAX_UPLOADS_IN_WORKERD requests with a body inside workerd; the rest wait here, their bodies
 * unread (TCP holds them back), and go in as others finish. GET and HEAD go straight in.
 *
 * It also does what the edge does before a request reaches a worker: it answers malformed framing
 * (two Content-Length headers, a negative one, Content-Length with Transfer-Encoding) with 400
 * instead of workerd's 500, answers `Expect: 100-continue`, and sets CF-Connecting-IP from the
 * connection. Answers are passed on the moment they start, so an early answer (413 by
 * Content-Length, 401, 404, 405) never waits for a body the client has not sent; inside workerd,
 * scripts/local-entry.mjs reads the rest of such a body, so workerd does not reset the connection
 * (and the answer with it) while this side is still sending.
 */
import http from 'node:http';

/**
 * Requests with a body inside workerd at once. More does not go faster (one thread); this many keeps
 * it busy while one body streams in, and bounds a turn to a few decodes, far from the 15-s timeout.
 */
export const MAX_UPLOADS_IN_WORKERD = 6;

/** Hop-by-hop headers (RFC 9110 7.6.1) describe one connection, not the message; `expect` is answered here. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);

/**
 * The end-to-end headers of a flat [name, value, ...] list as Node gives them, order and repeats kept.
 * CF-Connecting-IP is the edge's to set, never the client's.
 * @param {string[]} raw
 */
function endToEnd(raw) {
  /** @type {string[]} */
  const kept = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = /** @type {string} */ (raw[i]).toLowerCase();
    if (!HOP_BY_HOP.has(name) && name !== 'cf-connecting-ip') kept.push(/** @type {string} */ (raw[i]), /** @type {string} */ (raw[i + 1]));
  }
  return kept;
}

/**
 * The API's one error shape, `{ "error": { "code", "message" } }` (worker/src/errors.ts).
 * @param {string} code
 * @param {string} message
 */
function errorJson(code, message) {
  return JSON.stringify({ error: { code, message } });
}

/**
 * @param {import('node:stream').Duplex} socket
 * @param {number} status
 * @param {string} code
 * @param {string} message
 */
function answerOnSocket(socket, status, code, message) {
  const body = errorJson(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A first-come, first-served limit on how many requests are inside workerd at once. */
class Slots {
  /** @param {number} size */
  constructor(size) {
    this.free = size;
    /** @type {(() => void)[]} */
    this.waiting = [];
  }

  /**
   * Runs `start` now if a slot is free, else when one is; `start` gets the function that frees it.
   * @param {(release: () => void) => void} start
   * @returns {() => void} cancels a start still waiting (nothing once it has started)
   */
  take(start) {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
    const begin = () => start(release);
    if (this.free > 0) {
      this.free--;
      begin();
      return () => {};
    }
    this.waiting.push(begin);
    return () => {
      const at = this.waiting.indexOf(begin);
      if (at >= 0) this.waiting.splice(at, 1);
    };
  }
}

/**
 * Passes one client request to workerd on a fresh connection and its answer back; calls `done` once
 * when workerd is finished with it (answered in full, failed, or the client left).
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {URL} upstream
 * @param {() => void} done
 * @param {(line: string) => void} log
 */
function forward(req, res, upstream, done, log) {
  const headers = endToEnd(req.rawHeaders);
  headers.push('CF-Connecting-IP', req.socket.remoteAddress ?? '127.0.0.1', 'Connection', 'close');
  // A body travels as it arrives: with the client's Content-Length (kept above), or chunked.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined)
    headers.push('Transfer-Encoding', 'chunked');

  const toWorkerd = http.request({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers,
    setHost: false, // the client's Host is in `headers`: the worker sees the URL the client used
    agent: false, // one connection per request: nothing pooled, nothing idle to be closed under us
  });
  let answered = false;
  let clientLeft = false;
  toWorkerd.on('response', (answer) => {
    answered = true;
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
    answer.pipe(res);
    answer.on('end', done);
    answer.on('error', () => {
      res.destroy();
      done();
    });
  });
  toWorkerd.on('error', (error) => {
    // After an early answer workerd may close while the body is still coming: the answer stands,
    // and Node reads and drops the rest of the client's body so its connection can carry on.
    req.unpipe(toWorkerd);
    req.resume();
    if (answered || clientLeft) return;
    done();
    log(`${req.method} ${req.url}: workerd did not answer (${error.message})`);
    if (res.headersSent) return void res.destroy();
    const body = errorJson('local_server_error', `The local workerd did not answer: ${error.message}`);
    res.writeHead(502, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
  });
  // A client that leaves mid-upload or mid-answer: stop the request in workerd too (also after an
  // early answer, when workerd is still reading the body it announced: scripts/local-entry.mjs).
  const clientGone = () => {
    clientLeft = true;
    toWorkerd.destroy();
    done();
  };
  res.on('close', () => {
    if (!res.writableFinished) clientGone();
  });
  req.on('close', () => {
    if (!req.complete && !clientLeft) clientGone();
  });
  // Headers go now, not with the first body chunk (Node's default): workerd may answer from them
  // alone (413 by Content-Length, 404, 405) before any of the body exists.
  toWorkerd.flushHeaders();
  req.pipe(toWorkerd);
}

/**
 * Starts the front door on host:port, passing every request to `upstream` (workerd's own address).
 * @param {{ host: string, port: number, upstream: URL, maxUploads?: number, log?: (line: string) => void }} options
 * @returns {Promise<{ url: URL, close(): Promise<void> }>}
 */
export async function startFront({ host, port, upstream, maxUploads = MAX_UPLOADS_IN_WORKERD, log = () => {} }) {
  const uploads = new Slots(maxUploads);
  // Idle client connections stay open 60 s (Node's default is 5): clients that ignore the
  // Keep-Alive hint (Node's http.Agent, Go's net/http keeps idle connections 90 s) would otherwise
  // meet the same close-while-reusing race on this side. Idle sockets cost nothing here.
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const nothing = () => {};
    if (req.method === 'GET' || req.method === 'HEAD') return forward(req, res, upstream, nothing, log);
    const cancel = uploads.take((release) => forward(req, res, upstream, release, log));
    res.on('close', cancel); // a client that leaves while waiting gives up its place
  });

  // What Node's parser refuses never reaches workerd: 400 (408 for a request too slow to arrive,
  // 431 for oversized headers) in the API's error shape, then the connection closes.
  server.on('clientError', (error, socket) => {
    const code = /** @type {{ code?: string }} */ (error).code;
    if (!socket.writable || code === 'ECONNRESET') return void socket.destroy();
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return answerOnSocket(socket, 408, 'request_timeout', 'The request did not arrive in time.');
    if (code === 'HPE_HEADER_OVERFLOW') return answerOnSocket(socket, 431, 'headers_too_large', 'The request headers are too large.');
    answerOnSocket(
      socket,
      400,
      'bad_request',
      `Malformed HTTP request: ${/** @type {{ reason?: string }} */ (error).reason ?? error.message}.`,
    );
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: new URL(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
