// What `weights` commands read and write through: output streams, the y/N question and the environment.
import type { VirtualServiceApi } from '../sources/edit/live-writer.js';

export interface WeightsIO {
  out(s: string): void;
  err(s: string): void;
  color: boolean;
  /** Asks y/N; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
}

export interface SetOptions { rule?: string; mirror?: string[]; rebalance?: boolean; dryRun?: boolean; yes?: boolean; auditLog?: string; force?: boolean; allZero?: boolean; wait?: boolean | string }
export interface GetOptions { output?: string }
export interface UndoOptions { dryRun?: boolean; yes?: boolean; auditLog?: string; force?: boolean; wait?: boolean | string }

/** Live access for weight writes: the selected contexts and, per context, API version and kind, a client. */
export interface Live {
  contexts: string[];
  namespaceOf(context: string): string;
  access(context: string, apiVersion: string, kind?: string): Promise<{ api: VirtualServiceApi; user: string }>;
}
