// @ts-nocheck (runs inside workerd, next to the bundle `wrangler deploy --dry-run` wrote: ./index.js)
/**
 * The local server's worker entry (scripts/serve.mjs copies it beside the deploy bundle): our worker
 * unchanged, plus one thing the edge does for it in production, reading every request body to its
 * end.
 *
 * When the worker answers before the body has ended (413 by Content-Length, 401, 404, 405, or 413
 * after 5 MB of a chunked upload), workerd's HTTP server reads at most 64 KB more and then closes
 * the connection with the rest unread, which resets it (TCP RST). The front door, still writing the
 * client's body, lost the answer to that reset: 136 of 150 9-MB uploads got 502 instead of 413,
 * and about 1 in 50 oversized chunked ones (load-tests/RESULTS.md, "The local server").
 *
 * So the worker reads the body through a feed that this entry fills from the real one. Once the
 * worker has answered, the feed is cut, the rest of the body is read and dropped here, and the
 * answer (a short error, held whole and sent with its length, so the client has all of it at once)
 * ends only when the body has: workerd sees the request finished and closes cleanly. Unlike
 * `wrangler dev`'s dev middleware, which reads the body *before* answering, a client that announces
 * a body and never sends it still gets its answer. Answers to bodies the worker read to the end
 * pass through untouched.
 */
import worker from './index.js';

export default {
  async fetch(request, env, ctx) {
    if (request.body === null) return worker.fetch(request, env, ctx);

    // IdentityTransformStream: a byte stream, as the request's own body is.
    const feed = new IdentityTransformStream();
    const writer = feed.writable.getWriter();
    let feeding = true;
    let ended = false;
    const bodyEnded = (async () => {
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // Resolves once the worker has taken the chunk; rejects once the feed is cut.
        if (feeding) await writer.write(value).catch(() => (feeding = false));
      }
      if (feeding) await writer.close().catch(() => {});
    })()
      .catch(() => {}) // the client left mid-body: there is nothing more to read
      .finally(() => (ended = true));

    const response = await worker.fetch(new Request(request, { body: feed.readable }), env, ctx);
    if (ended || response.webSocket) return response;

    // Answered before the body ended: cut the feed and end the answer when the body has ended.
    feeding = false;
    writer.abort().catch(() => {});
    const bytes = new Uint8Array(await response.arrayBuffer());
    const answer = new FixedLengthStream(bytes.byteLength);
    const answerWriter = answer.writable.getWriter();
    ctx.waitUntil(
      (async () => {
        await answerWriter.write(bytes);
        await bodyEnded;
        await answerWriter.close();
      })().catch(() => {}),
    );
    return new Response(answer.readable, response);
  },
};
