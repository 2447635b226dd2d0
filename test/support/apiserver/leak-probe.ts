// Runs meshscope's live work in a child process against test API servers in the parent (test/hardening-leaks):
// loads, port-forward fetches (ok, refused, dying, black-holed), watches started and stopped (also while their
// connects hang), and CLI commands. Then prints what still keeps the event loop alive, and returns without
// process.exit: the parent checks that the process ends on its own.
import { main } from '../../../src/cli/main.js';
import { loadLiveContexts, watchLiveContexts, openKubeClient } from '../../../src/sources/kube/index.js';
import { fetchProxyDump } from '../../../src/sources/envoy-admin.js';

interface ProbeConfig { kubeconfig: string; commands: string[][] }
const cfg = JSON.parse(process.env.LEAK_PROBE ?? '{}') as ProbeConfig;
const say = (s: string) => process.stdout.write(`${s}\n`);

const snaps = await loadLiveContexts({ kubeconfig: cfg.kubeconfig, allContexts: true, requestTimeout: '1s', gatewayProxies: true });
say(`loaded ${snaps.map((s) => `${s.name}:${s.status}`).join(' ')}`);

const client = await openKubeClient({ kubeconfig: cfg.kubeconfig, context: 'a', requestTimeout: '1s' });
for (const pod of ['demoapp-v2-a0', 'demoapp-v2-a1', 'demoapp-v2-canary-a0', 'client-a']) {
  const d = await fetchProxyDump(client, 'app', pod, { skipClusters: pod !== 'demoapp-v2-a0' });
  say(`proxy ${pod}: ${d.error ?? 'ok'}`);
}
client.close();

const h = watchLiveContexts(snaps, () => undefined, { maxBackoffMs: 100 });
await new Promise((r) => setTimeout(r, 1500));
h.stop();
say('watches stopped');

for (const argv of cfg.commands) {
  const code = await main(['node', 'meshscope', ...argv, '--kubeconfig', cfg.kubeconfig]);
  say(`command ${argv[0]}: exit ${code}`);
}
await new Promise((r) => setTimeout(r, 300));
say(`LEAK-PROBE ${JSON.stringify(process.getActiveResourcesInfo())}`);
