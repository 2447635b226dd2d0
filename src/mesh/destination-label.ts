// The one display label of a route destination, shared by the tree, the weight editor, its reports and the traffic views.

/** "host", "host subset", "host subset:port" or "host:port". */
export function destinationLabel(d: { host: string; subset?: string; port?: number | string }): string {
  return `${d.host}${d.subset ? ` ${d.subset}` : ''}${d.port !== undefined ? `:${d.port}` : ''}`;
}
