// pods/portforward as the test API server serves it: a WebSocket (v4.channel.k8s.io) whose data channel is piped to
// the fake Envoy admin when the port is the pod's admin port; any other port is refused as kubelet's socat refuses it.
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../../src/model/resources.js';
import type { FakeEnvoyAdmin } from './envoy.js';
import type { FaultRule, RequestInfo } from './faults.js';
import { acceptWebSocket } from './websocket.js';

export function adminPortOf(pod: KubeObject): number {
  const ann = pod.metadata.annotations?.['proxy.istio.io/config'];
  const m = ann ? /proxyAdminPort["']?\s*:\s*(\d+)/.exec(ann) : null;
  return m ? Number(m[1]) : 15000;
}

/** Accepts the upgrade and forwards `port` of the pod; false when the WebSocket handshake was refused. */
export function forwardPort(req: IncomingMessage, socket: Duplex, info: RequestInfo, pod: KubeObject, port: number, envoy: FakeEnvoyAdmin, rule?: FaultRule): boolean {
  const ws = acceptWebSocket(req, socket, ['v4.channel.k8s.io']);
  if (!ws) return false;
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16LE(port, 0);
  ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
  ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
  const key = `${info.namespace}/${info.name}`;
  if (port !== adminPortOf(pod) || !envoy.proxies.has(key)) {
    ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${info.name}, uid : exit status 1: 2024/05/01 10:00:00 socat[1] E connect(5, AF=2 127.0.0.1:${port}, 16): Connection refused\n`)]));
    setTimeout(() => ws.close(), 10);
    return true;
  }
  const upstream = connect(envoy.port, '127.0.0.1');
  let sent = 0;
  upstream.on('connect', () => envoy.connections.set(upstream.localPort!, key));
  upstream.on('data', (d: Buffer) => {
    const die = rule?.dieAfterBytes;
    if (die !== undefined && sent + d.length > die) {
      ws.send(Buffer.concat([Buffer.from([0]), d.subarray(0, Math.max(0, die - sent))]));
      ws.destroy();
      upstream.destroy();
      return;
    }
    sent += d.length;
    ws.send(Buffer.concat([Buffer.from([0]), d]));
  });
  upstream.on('close', () => ws.close());
  upstream.on('error', () => ws.close());
  ws.onMessage = (m) => { if (m[0] === 0 && m.length > 1) upstream.write(m.subarray(1)); };
  ws.onClose = () => upstream.destroy();
  return true;
}
