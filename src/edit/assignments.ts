// DEST=WEIGHT arguments of `weights set`.
import { UsageError } from '../core/errors.js';

export interface Assignment { dest: string; weight: number }

export function parseAssignments(args: string[]): Assignment[] {
  return args.map((a) => {
    const m = /^(.+)=(.*)$/.exec(a);
    if (!m || !m[1]) throw new UsageError(`"${a}" is not DEST=WEIGHT (DEST: subset, host or host:subset)`);
    if (!/^-?\d+(\.\d+)?$/.test(m[2].trim())) throw new UsageError(`"${a}": weight "${m[2]}" is not a number`);
    return { dest: m[1], weight: Number(m[2]) };
  });
}
