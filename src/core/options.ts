// The global flags every layer reads (parsed by cli/global.ts).

export interface GlobalOptions {
  fixtures?: string;
  context: string[];
  namespace?: string;
  kubeconfig?: string;
  readOnly: boolean;
  allContexts?: boolean;
  requestTimeout?: string;
  watch?: boolean;
  /** --max-dump-size: largest Envoy dump or manifest file parsed (see sources/limits.ts). */
  maxDumpSize?: string;
  /** --max-objects: most objects from one list (live) or one context (snapshot). */
  maxObjects?: string;
}
