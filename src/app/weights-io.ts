// What `weights` commands read and write through: output streams, the y/N question and the environment.
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
