import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { historyFromJson } from './history-json';

/**
 * The recorded histories the replay test runs today's workflow code against. Written by `npm run
 * histories:record` (test/replay/record.ts), one file per workflow type and path: `<type>.<path>.json`.
 */
export const HISTORIES_DIR = join(__dirname, 'histories');

/** `beteiligteSyncWorkflow` → `beteiligte-sync`: the file-name prefix of a workflow type's histories. */
export function filePrefixOf(workflowType: string): string {
  return workflowType.replace(/Workflow$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function historyFileName(workflowType: string, path: string): string {
  if (!/^[a-z0-9_]+$/.test(path)) throw new Error(`path "${path}": lower case, digits and _ only, so the file name stays readable`);
  return `${filePrefixOf(workflowType)}.${path}.json`;
}

export interface HistoryFile {
  file: string;
  history: History;
  workflowType: string;
}

/**
 * Every `*.json` in HISTORIES_DIR, and in `patched/<id>/` (`file` is then `patched/<id>/<name>`): histories of
 * code that now runs behind `patched('<id>')`, so executions started before the change replay the old branch.
 * They stay until the patch is deprecated; `npm run histories:record` never touches them (README, "Changing a
 * workflow"). A file that does not parse as a history throws, naming the file.
 */
export function readHistoryFiles(dir = HISTORIES_DIR): HistoryFile[] {
  if (!existsSync(dir)) return [];
  const patchedDir = join(dir, 'patched');
  const patchIds = existsSync(patchedDir) ? readdirSync(patchedDir).sort() : [];
  const files = [...jsonFilesIn(dir), ...patchIds.flatMap((id) => jsonFilesIn(join(patchedDir, id)).map((name) => `patched/${id}/${name}`))];
  return files.map((file) => {
    try {
      const history = historyFromJson(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      return { file, history, workflowType: workflowTypeOf(history) };
    } catch (err) {
      throw new Error(`${file}: not a workflow history: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

function jsonFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** The type named by the history's first event; histories carry no workflow ID, but they do carry the type. */
export function workflowTypeOf(history: History): string {
  const name = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (!name) throw new Error('the first event is not WorkflowExecutionStarted');
  return name;
}

/**
 * The shape of a history in its JSON form (as written by `historyToJson`): the event types in order, e.g.
 * `WORKFLOW_EXECUTION_STARTED`. Two recordings of one scenario should have the same shape.
 */
export function eventTypesOf(json: unknown): string[] {
  const events = (json as { events?: { eventType?: unknown }[] } | null)?.events ?? [];
  return events.map((e) => String(e.eventType).replace(/^EVENT_TYPE_/, ''));
}
