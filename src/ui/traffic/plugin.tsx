// The `s` key: on a VirtualService, a rule or a destination, shows the observed traffic (Envoy counters of the proxies
// that route it) beside the weights. Offline from the recorded stats.json; live, `sample` reads the counters first.
import React, { useEffect, useState } from 'react';
import type { TreeNode } from '../../mesh/tree-types.js';
import type { Mesh } from '../../mesh/join.js';
import type { RuleModel, VirtualServiceModel } from '../../mesh/objects.js';
import { ruleTraffic, shareSeries, type RuleTraffic } from '../../mesh/traffic.js';
import type { PluginContext, UiPlugin } from '../types.js';
import { TrafficView } from './TrafficView.js';

const ON = new Set(['VirtualService', 'rule', 'destination', 'mirror']);

export const TRAFFIC_KEY: Omit<UiPlugin, 'open'> = {
  key: 's',
  help: 'sample traffic: observed share, rate and 5xx per destination beside the weights (Envoy counters)',
  hint: 'traffic',
  appliesTo: (node) => !!node && ON.has(node.kind) && node.ref?.kind === 'VirtualService',
  notApplicable: 's works on a VirtualService, a route rule or a destination',
};

/** The rule a rule, destination or mirror node stands for: the rule key the mesh put on it. */
export function ruleOf(vs: VirtualServiceModel, node: TreeNode): RuleModel | undefined {
  const k = node.rule;
  if (!k) return undefined;
  return vs.rules.find((r) => r.protocol === k.kind && r.index === k.index);
}

export interface TrafficEnv {
  mesh: Mesh | undefined;
  /** Live: reads the counters of the proxies that route the VirtualService (two reads over a window). */
  sample?: (vs: VirtualServiceModel) => Promise<string[]>;
  windowText?: string;
}

function Sampled({ env, vs, rules, ctx }: { env: TrafficEnv; vs: VirtualServiceModel; rules: RuleModel[]; ctx: PluginContext }) {
  const compute = () => ({ traffic: rules.map((r) => ruleTraffic(r)), series: new Map(rules.map((r) => [r, shareSeries(r)] as [RuleTraffic['rule'], number[][]])) });
  const [state, setState] = useState<{ traffic?: RuleTraffic[]; series?: Map<RuleTraffic['rule'], number[][]>; status?: string }>(
    env.sample ? { status: `sampling the Envoy counters (${env.windowText ?? '10s'})…` } : compute(),
  );
  useEffect(() => {
    if (!env.sample) return;
    let live = true;
    env.sample(vs).then((warnings) => {
      if (live) setState({ ...compute(), status: warnings.length ? `${warnings.length} proxies not read: ${warnings[0]}` : undefined });
    }, (err: unknown) => { if (live) setState({ status: `sampling failed: ${err instanceof Error ? err.message : String(err)}` }); });
    return () => { live = false; };
  }, []);
  return <TrafficView title={`${vs.context} ${vs.namespace}/${vs.name}`} traffic={state.traffic} series={state.series} status={state.status} onClose={ctx.close} />;
}

export function trafficPlugin(env: TrafficEnv): UiPlugin {
  return {
    ...TRAFFIC_KEY,
    open(ctx: PluginContext) {
      const node = ctx.node as TreeNode;
      const ref = node.ref!;
      const vs = env.mesh?.virtualService(ref.context, ref.namespace ?? 'default', ref.name);
      if (!vs) {
        setTimeout(() => { ctx.flash(`VirtualService ${ref.namespace}/${ref.name} is not in the loaded mesh`, 'error'); ctx.close(); }, 0);
        return <></>;
      }
      const one = node.kind === 'VirtualService' ? undefined : ruleOf(vs, node);
      return <Sampled env={env} vs={vs} rules={one ? [one] : vs.rules} ctx={ctx} />;
    },
  };
}
