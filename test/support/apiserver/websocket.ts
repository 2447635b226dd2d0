// A minimal RFC 6455 server side: enough for the channel protocol that client-node's PortForward speaks.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface ServerWebSocket {
  protocol: string;
  /** Sends one binary message. */
  send(data: Buffer): void;
  close(code?: number): void;
  /** Drops the TCP connection without a close frame (fault injection). */
  destroy(): void;
  onMessage?: (data: Buffer) => void;
  onClose?: () => void;
  readonly closed: boolean;
}

/** Completes the upgrade handshake; returns undefined (after answering 400) when the request is not a WebSocket one. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, protocols: string[]): ServerWebSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return undefined;
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const protocol = protocols.find((p) => offered.includes(p)) ?? '';
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n` + (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') + '\r\n',
  );
  let closed = false;
  let buf = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  const ws: ServerWebSocket = {
    protocol,
    get closed() { return closed; },
    send(data) { if (!closed) socket.write(frame(0x2, data)); },
    close(code = 1000) {
      if (closed) return;
      closed = true;
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code, 0);
      socket.end(frame(0x8, payload));
      ws.onClose?.();
    },
    destroy() {
      if (!closed) { closed = true; ws.onClose?.(); }
      socket.destroy();
    },
  };
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const f = parseFrame(buf);
      if (!f) break;
      buf = buf.subarray(f.length);
      if (f.opcode === 0x8) { ws.close(); return; }
      if (f.opcode === 0x9) { socket.write(frame(0xa, f.payload)); continue; }
      if (f.opcode === 0xa) continue;
      fragments.push(f.payload);
      if (f.fin) {
        const msg = Buffer.concat(fragments);
        fragments = [];
        ws.onMessage?.(msg);
      }
    }
  });
  socket.on('close', () => { if (!closed) { closed = true; ws.onClose?.(); } });
  socket.on('error', () => undefined);
  return ws;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = len;
  else if (len < 65536) { head[1] = 126; head.writeUInt16BE(len, 2); }
  else { head[1] = 127; head.writeBigUInt64BE(BigInt(len), 2); }
  return Buffer.concat([head, payload]);
}

function parseFrame(buf: Buffer): { fin: boolean; opcode: number; payload: Buffer; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const fin = (buf[0] & 0x80) !== 0;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) { if (buf.length < 4) return undefined; len = buf.readUInt16BE(2); off = 4; }
  else if (len === 127) { if (buf.length < 10) return undefined; len = Number(buf.readBigUInt64BE(2)); off = 10; }
  const maskLen = masked ? 4 : 0;
  if (buf.length < off + maskLen + len) return undefined;
  const payload = Buffer.from(buf.subarray(off + maskLen, off + maskLen + len));
  if (masked) {
    const mask = buf.subarray(off, off + 4);
    for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
  }
  return { fin, opcode, payload, length: off + maskLen + len };
}
