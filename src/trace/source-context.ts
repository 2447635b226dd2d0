// `trace` without --context: the one loaded context that has the --from pod (or gateway); `--from POD` without
// `.NAMESPACE` takes -n.
import type { ContextSnapshot } from '../model/context.js';
import type { TraceSource } from './types.js';
import { parseFrom } from './source.js';

export function fromWithNamespace(text: string, namespace: string | undefined): TraceSource {
  const from = parseFrom(text);
  const bare = text.replace(/^(gateway|gw|pod|po)\//, '');
  return namespace && !bare.includes('.') ? { ...from, namespace } : from;
}

/** Loaded contexts holding the source: a Pod, or for a gateway a Gateway, Service or Pod of that name. */
export function contextsWithSource(contexts: ContextSnapshot[], from: TraceSource): string[] {
  const kinds = from.kind === 'pod' ? ['Pod'] : ['Gateway', 'Service', 'Pod'];
  return contexts.filter((c) => c.objects.some((o) => kinds.includes(o.obj.kind) && o.obj.metadata.name === from.name && (o.obj.metadata.namespace ?? 'default') === from.namespace)).map((c) => c.name);
}
