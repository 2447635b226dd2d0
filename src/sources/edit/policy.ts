// Read-only policy: --read-only, and `readOnly: true` per context (or globally) in $XDG_CONFIG_HOME/meshscope/config.yaml.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface WritePolicy {
  /** --read-only */
  readOnly: boolean;
  /** Path of the config file that was read (for messages). */
  configFile: string;
  /** true when the config file says `readOnly: true` at the top level. */
  configReadOnly: boolean;
  /** Contexts the config file marks `readOnly: true`. */
  readOnlyContexts: Set<string>;
  /** A problem reading the config file (it is then treated as read-only for safety). */
  configError?: string;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'meshscope', 'config.yaml');
}

/**
 * Reads the policy. Config format:
 *   readOnly: false            # optional, every context
 *   contexts:
 *     prod-eu: { readOnly: true }
 * (a list `contexts: [{name: prod-eu, readOnly: true}]` is accepted too).
 */
export function loadWritePolicy(readOnlyFlag: boolean, env: NodeJS.ProcessEnv = process.env): WritePolicy {
  const configFile = configFilePath(env);
  const policy: WritePolicy = { readOnly: readOnlyFlag, configFile, configReadOnly: false, readOnlyContexts: new Set() };
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') policy.configError = `cannot read ${configFile}: ${(err as Error).message}`;
    return policy;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    policy.configError = `${configFile} is not valid YAML: ${(err as Error).message.split('\n')[0]}`;
    return policy;
  }
  if (doc === null || doc === undefined) return policy;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    policy.configError = `${configFile} must hold a mapping`;
    return policy;
  }
  const cfg = doc as { readOnly?: unknown; contexts?: unknown };
  if (cfg.readOnly === true) policy.configReadOnly = true;
  const ctxs = cfg.contexts;
  if (Array.isArray(ctxs)) {
    for (const c of ctxs) if (c && typeof c === 'object' && (c as { readOnly?: unknown }).readOnly === true) policy.readOnlyContexts.add(String((c as { name?: unknown }).name));
  } else if (ctxs && typeof ctxs === 'object') {
    for (const [name, c] of Object.entries(ctxs as Record<string, unknown>)) {
      if (c && typeof c === 'object' && (c as { readOnly?: unknown }).readOnly === true) policy.readOnlyContexts.add(name);
    }
  }
  return policy;
}

/** Why writing to `context` is refused, or undefined when it is allowed. */
export function writeRefusal(policy: WritePolicy, context: string): string | undefined {
  if (policy.readOnly) return 'read-only mode (--read-only): editing is disabled';
  if (policy.configError) return `editing is disabled because the config file could not be read: ${policy.configError}`;
  if (policy.configReadOnly) return `read-only: ${policy.configFile} sets readOnly: true`;
  if (policy.readOnlyContexts.has(context)) return `context ${context} is read-only (readOnly: true in ${policy.configFile})`;
  return undefined;
}
