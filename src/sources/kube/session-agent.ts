// An https Agent that resumes TLS sessions with one session decode per connection. Node 20's tls.connect decodes a
// `session` option twice (once in the TLSSocket constructor, once more after it); with OpenSSL 3 each decode of a
// session (and the server certificate in it) costs about 0.2 ms, which a port-forward to each of 50 proxies pays
// before its request leaves. The session is set once, before the TCP connection opens and the handshake starts.
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';

interface AgentInternals {
  _getSession(key: string): Buffer | undefined;
  _cacheSession(key: string, session: Buffer): void;
  _evictSession(key: string): void;
}

export class SessionResumingAgent extends HttpsAgent {
  constructor(options: AgentOptions) {
    super(options);
  }

  // Node's own createConnection, but for where the session goes.
  override createConnection(options: ConnectionOptions & { _agentKey?: string; session?: Buffer }): TLSSocket {
    const self = this as unknown as AgentInternals;
    const key = options._agentKey;
    const session = key ? self._getSession(key) : undefined;
    const rest = { ...options };
    delete rest.session;
    const socket = connect(rest);
    // Before the socket connects (tls.connect only starts the handshake once it has), as tls.connect itself does.
    if (session && !options.socket) (socket as TLSSocket & { setSession(s: Buffer): void }).setSession(session);
    if (key) {
      socket.on('session', (s: Buffer) => self._cacheSession(key, s));
      socket.once('close', (hadError: boolean) => { if (hadError) self._evictSession(key); });
    }
    return socket;
  }
}
