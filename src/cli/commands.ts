// Every subcommand module, loaded only when its name is on the command line (keeps start-up fast).
import type { Command } from 'commander';

export interface CommandModule {
  /** Adds the subcommand (with its aliases and options) to the program. */
  register(program: Command): void;
}

/** name (and aliases) → lazy module. Add one line per subcommand file. */
export const COMMANDS: { names: string[]; load: () => Promise<CommandModule> }[] = [
  { names: ['summary'], load: () => import('./summary.js') },
  { names: ['analyze'], load: () => import('./analyze.js') },
  { names: ['weights'], load: () => import('./weights.js') },
  { names: ['tree'], load: () => import('./tree.js') },
  { names: ['pc', 'proxy-config'], load: () => import('./pc.js') },
  { names: ['snapshot'], load: () => import('./snapshot.js') },
  { names: ['proxy-status', 'ps'], load: () => import('./proxy-status.js') },
  { names: ['trace'], load: () => import('./trace.js') },
  { names: ['translate'], load: () => import('./translate.js') },
  { names: ['authz'], load: () => import('./authz.js') },
  { names: ['zc', 'ztunnel-config'], load: () => import('./zc.js') },
  { names: ['traffic'], load: () => import('./traffic.js') },
  { names: ['wait'], load: () => import('./wait.js') },
];
