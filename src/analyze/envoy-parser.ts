// The Envoy parser the join needs, from src/model/envoy/parse.ts.
import type { EnvoyParser } from '../mesh/join-envoy.js';
import { parseClustersJson, parseConfigDump } from '../model/envoy/parse.js';

export const envoyParser: EnvoyParser = {
  configDump: (raw) => parseConfigDump(raw),
  clusters: (raw) => parseClustersJson(raw),
};
