/**
 * Records of the processes a supervisor started, one JSON file each, so that the next run can stop what a
 * killed or crashed supervisor left behind. A process is identified by pid AND its start time (and executable):
 * a pid recycled by some foreign process never matches, so it is never signalled.
 */
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessRecord {
  name: string;
  pid: number;
  /** Clock ticks since boot (field 22 of /proc/<pid>/stat); null where there is no /proc. */
  startTime: string | null;
  exe: string | null;
  argv: string[];
  recordedAt: string;
}

interface ProcStat {
  state: string;
  pgrp: number;
  startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function procExe(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** True while the process exists and is not a zombie (a zombie holds no ports and does nothing). */
export function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the process group led by `pid`; a group that is already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

export function recordProcess(file: string, name: string, pid: number, argv: string[]): void {
  const record: ProcessRecord = {
    name,
    pid,
    startTime: procStat(pid)?.startTime ?? null,
    exe: procExe(pid),
    argv,
    recordedAt: new Date().toISOString(),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record)}\n`);
}

export function forgetProcess(file: string): void {
  rmSync(file, { force: true });
}

/**
 * Is the recorded process still the one we started (same pid and start time; while it runs, same executable)?
 * 'gone' when no process has that pid: then only our old group's members can still hold that group id.
 */
function identify(record: ProcessRecord): 'running' | 'zombie' | 'gone' | 'foreign' {
  const stat = procStat(record.pid);
  if (!stat) return record.startTime === null ? 'foreign' : 'gone';
  if (record.startTime === null || stat.startTime !== record.startTime) return 'foreign';
  if (stat.state === 'Z' || stat.state === 'X') return 'zombie';
  return record.exe === null || procExe(record.pid) === record.exe ? 'running' : 'foreign';
}

/** The recorded process when it still runs (same pid, start time and executable); undefined otherwise. */
export function runningRecord(file: string): ProcessRecord | undefined {
  let record: ProcessRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
  return identify(record) === 'running' ? record : undefined;
}

function readRecords(dir: string): { file: string; record: ProcessRecord }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const records: { file: string; record: ProcessRecord }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      records.push({ file, record: JSON.parse(readFileSync(file, 'utf8')) as ProcessRecord });
    } catch {
      rmSync(file, { force: true }); // unreadable: written halfway by a run that died
    }
  }
  return records;
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(100);
  }
  return !isRunning(pid);
}

/**
 * Stops the processes recorded in `dir` by an earlier run that did not stop them itself, newest first
 * (the hub before Temporal and Redis, as an orderly stop would), and removes their records.
 */
export async function stopLeftovers(dir: string, log: (message: string) => void, stopTimeoutMs = 15_000): Promise<void> {
  const records = readRecords(dir).sort((a, b) => b.record.recordedAt.localeCompare(a.record.recordedAt));
  for (const { file, record } of records) {
    const identity = identify(record);
    if (identity === 'running') {
      log(`stopping ${record.name} (pid ${record.pid}) left running by an earlier start`);
      signalGroup(record.pid, 'SIGTERM');
      if (!(await waitGone(record.pid, stopTimeoutMs))) {
        signalGroup(record.pid, 'SIGKILL');
        await waitGone(record.pid, 5_000);
      }
    }
    // Helpers the leader started (same group) must not outlive it; a foreign group is never touched.
    if (identity !== 'foreign') signalGroup(record.pid, 'SIGKILL');
    forgetProcess(file);
  }
}
