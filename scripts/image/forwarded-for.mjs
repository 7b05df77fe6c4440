// Loaded before Next's server (`node --import` in scripts/start.mjs and the Playwright server; imported first by
// the image's web role). Next fills X-Forwarded-For from the socket only when the request has none, so a client
// talking to Next directly could name any address and reset every per-address limit. Here the server appends the
// real peer address to the header, as a proxy does: the right-most entry is always the connection's own address,
// and anything a client wrote sits to its left, where server/api/client-ip.ts believes it only through proxies
// listed in PLINTH_TRUSTED_PROXIES.
import { Server } from 'node:http';

const PATCHED = Symbol.for('plinth.forwardedFor');
if (!Server.prototype[PATCHED]) {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (event, req, ...rest) {
    if (event === 'request' && req?.socket?.remoteAddress) {
      const peer = req.socket.remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
      const sent = req.headers['x-forwarded-for'];
      req.headers['x-forwarded-for'] = sent ? `${Array.isArray(sent) ? sent.join(', ') : sent}, ${peer}` : peer;
    }
    return emit.call(this, event, req, ...rest);
  };
  Server.prototype[PATCHED] = true;
}
