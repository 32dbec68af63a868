// Reading Linux's /proc: the process ids, and one process's stat fields. Shared by the process
// groups (is anything of a group still running) and the leak checks.
import { readdirSync, readFileSync } from 'node:fs';

/** Every process id in /proc (throws where there is no /proc). */
export function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/**
 * The fields of /proc/<pid>/stat, index i holding field i + 1 of proc(5): 2 state, 3 ppid, 4 pgrp,
 * 21 start time (0 and 1, pid and command, left empty). undefined when the process is gone.
 */
export function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    return ['', '', ...stat.slice(stat.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return undefined;
  }
}
