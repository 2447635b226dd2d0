// A fake ztunnel for the test API server: a ztunnel DaemonSet pod (app=ztunnel, on a node) in istio-system whose
// admin port 15000 answers GET /config_dump with the given ztunnel dump, through the same port-forward relay the
// fake Envoy admin uses (ztunnel's admin path is /config_dump too). Also a waypoint pod (an Envoy, labelled as
// istio's waypoint deployment) whose Envoy admin serves a config dump.
import type { KubeObject } from '../../../src/model/resources.js';
import type { TestApiServer } from './server.js';

export interface FakeZtunnel {
  name: string;
  node: string;
  namespace?: string;
  /** The ztunnel /config_dump: a JSON text, a value to serialise, or a file. */
  configDump?: unknown;
  configDumpFile?: string;
}

export function ztunnelPod(z: FakeZtunnel): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: z.name, namespace: z.namespace ?? 'istio-system', labels: { app: 'ztunnel', 'istio.io/dataplane-mode': 'none', 'sidecar.istio.io/inject': 'false' } },
    spec: { nodeName: z.node, containers: [{ name: 'istio-proxy', image: 'istio/ztunnel:1.24.0', ports: [{ containerPort: 15000, name: 'admin' }] }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z' }] },
  };
}

/** Adds a ztunnel pod and its admin's /config_dump to a running test API server. */
export function addZtunnel(api: TestApiServer, z: FakeZtunnel): void {
  const pod = ztunnelPod(z);
  api.store.seed(pod);
  api.setProxy(pod.metadata.namespace!, z.name, { configDump: z.configDump, configDumpFile: z.configDumpFile });
}

export interface FakeWaypoint { name: string; namespace: string; gateway: string; node: string; configDump?: unknown; configDumpFile?: string }

/** Adds a waypoint pod (istio-waypoint class, Envoy admin on 15000) and its Envoy config dump. */
export function addWaypoint(api: TestApiServer, w: FakeWaypoint): void {
  api.store.seed({
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: w.name, namespace: w.namespace,
      labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller', 'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint', 'gateway.networking.k8s.io/gateway-name': w.gateway, 'istio.io/dataplane-mode': 'none', 'sidecar.istio.io/inject': 'false' },
    },
    spec: { nodeName: w.node, containers: [{ name: 'istio-proxy', args: ['proxy', 'waypoint'] }] },
    status: { phase: 'Running' },
  });
  api.setProxy(w.namespace, w.name, { configDump: w.configDump, configDumpFile: w.configDumpFile });
}
