// @kubernetes/client-node, imported on first use (~0.5 s) so snapshot runs never load it.
import type * as K8s from '@kubernetes/client-node';

let k8sModule: Promise<typeof K8s> | undefined;
/** The client-node module, loaded on first use. */
export function k8s(): Promise<typeof K8s> {
  k8sModule ??= import('@kubernetes/client-node');
  return k8sModule;
}
