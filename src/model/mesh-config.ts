// The MeshConfig settings the checks read (istioctl analyze --meshConfigFile).

export interface MeshConfigLite {
  rootNamespace: string;
  /** defaultConfig.proxyMetadata (ISTIO_META_DNS_CAPTURE, ISTIO_META_DNS_AUTO_ALLOCATE). */
  proxyMetadata: Record<string, string>;
}
