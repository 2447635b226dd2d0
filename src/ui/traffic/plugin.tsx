// The `s` key: on a VirtualService, a rule or a destination, or on a Gateway API route, its rule or a backendRef, shows
// the observed traffic (Envoy counters of the proxies that route it) beside the weights. Offline from the recorded
// stats.json; live, `sample` reads the counters first.
import React, { useEffect, useState } from 'react';
import type { TreeNode } from '../../mesh/tree-types.js';
import type { Mesh } from '../../mesh/join.js';
import type { RuleModel, VirtualServiceModel } from '../../mesh/objects.js';
import { ruleTraffic, shareSeries, type RuleTraffic } from '../../mesh/traffic.js';
import { routeRuleModels } from '../../mesh/route-rules.js';
import type { PluginContext, UiPlugin } from '../types.js';
import { TrafficView } from './TrafficView.js';

const ON = new Set(['VirtualService', 'rule', 'destination', 'mirror']);
const ROUTE_ON = new Set(['Route', 'route-rule', 'backendRef']);
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);

function onRoute(node: TreeNode): boolean {
  return ROUTE_ON.has(node.kind) && ROUTE_KINDS.has(node.ref?.kind ?? '');
}

export const TRAFFIC_KEY: Omit<UiPlugin, 'open'> = {
  key: 's',
  help: 'sample traffic: observed share, rate and 5xx per destination beside the weights (Envoy counters)',
  hint: 'traffic',
  appliesTo: (node) => !!node && ((ON.has(node.kind) && node.ref?.kind === 'VirtualService') || onRoute(node)),
  notApplicable: 's works on a VirtualService, a route rule or a destination (or an HTTPRoute, its rule or a backendRef)',
};

/** The rule a rule, destination or mirror node stands for: the rule key the mesh put on it. */
export function ruleOf(vs: VirtualServiceModel, node: TreeNode): RuleModel | undefined {
  const k = node.rule;
  if (!k) return undefined;
  return vs.rules.find((r) => r.protocol === k.kind && r.index === k.index);
}

export interface TrafficEnv {
  mesh: Mesh | undefined;
  /** Live: reads the counters of the proxies that route these rules (two reads over a window). */
  sample?: (rules: RuleModel[]) => Promise<string[]>;
  windowText?: string;
}

function Sampled({ env, title, rules, ctx }: { env: TrafficEnv; title: string; rules: RuleModel[]; ctx: PluginContext }) {
  const compute = () => ({ traffic: rules.map((r) => ruleTraffic(r)), series: new Map(rules.map((r) => [r, shareSeries(r)] as [RuleTraffic['rule'], number[][]])) });
  const [state, setState] = useState<{ traffic?: RuleTraffic[]; series?: Map<RuleTraffic['rule'], number[][]>; status?: string }>(
    env.sample ? { status: `sampling the Envoy counters (${env.windowText ?? '10s'})…` } : compute(),
  );
  useEffect(() => {
    if (!env.sample) return;
    let live = true;
    env.sample(rules).then((warnings) => {
      if (live) setState({ ...compute(), status: warnings.length ? `${warnings.length} proxies not read: ${warnings[0]}` : undefined });
    }, (err: unknown) => { if (live) setState({ status: `sampling failed: ${err instanceof Error ? err.message : String(err)}` }); });
    return () => { live = false; };
  }, []);
  return <TrafficView title={title} traffic={state.traffic} series={state.series} status={state.status} onClose={ctx.close} />;
}

export function trafficPlugin(env: TrafficEnv): UiPlugin {
  return {
    ...TRAFFIC_KEY,
    open(ctx: PluginContext) {
      const node = ctx.node as TreeNode;
      const ref = node.ref!;
      if (onRoute(node)) {
        const all = env.mesh ? routeRuleModels(env.mesh, ref.kind, ref.namespace ?? 'default', ref.name, ref.context) : [];
        const rules = node.routeRule === undefined ? all : all.filter((r) => r.index === node.routeRule);
        if (rules.length === 0) {
          setTimeout(() => { ctx.flash(`${ref.kind} ${ref.namespace}/${ref.name}: no proxy route comes from ${node.routeRule === undefined ? 'it' : `rules[${node.routeRule}]`} (no accepted parent, or no rule istiod routes)`, 'error'); ctx.close(); }, 0);
          return <></>;
        }
        return <Sampled env={env} title={`${ref.context} ${ref.kind} ${ref.namespace}/${ref.name}`} rules={rules} ctx={ctx} />;
      }
      const vs = env.mesh?.virtualService(ref.context, ref.namespace ?? 'default', ref.name);
      if (!vs) {
        setTimeout(() => { ctx.flash(`VirtualService ${ref.namespace}/${ref.name} is not in the loaded mesh`, 'error'); ctx.close(); }, 0);
        return <></>;
      }
      const one = node.kind === 'VirtualService' ? undefined : ruleOf(vs, node);
      return <Sampled env={env} title={`${vs.context} ${vs.namespace}/${vs.name}`} rules={one ? [one] : vs.rules} ctx={ctx} />;
    },
  };
}
