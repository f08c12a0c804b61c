import { readFileSync } from 'node:fs';

/**
 * The commands of docs/runbook.md as its conventions define them ("Before you start"): every line of a ```sh block,
 * lines ending in a backslash joined with the next; a trailing comment may say `compose only` or `not in the test`
 * (checked, not run) and `exit N` (a code besides 0 that the command may end with).
 */
export interface RunbookCommand {
  /** 1-based line of the command's first line in the runbook. */
  line: number;
  /** The command without its trailing comment, continuation lines joined. */
  text: string;
  comment: string;
  /** Not run by the test: only checked that it parses. */
  checkOnly: boolean;
  /** Exit codes the runbook allows: 0 and each `exit N` of the comment. */
  exitCodes: number[];
}

/** Index of a trailing ` # comment` outside quotes, or -1. */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return i;
  }
  return -1;
}

export function runbookCommands(markdown: string): RunbookCommand[] {
  const lines = markdown.split('\n');
  const commands: RunbookCommand[] = [];
  let inSh = false;
  let pending: { line: number; parts: string[]; comments: string[] } | undefined;
  lines.forEach((raw, index) => {
    if (!inSh) {
      if (raw.trim() === '```sh') inSh = true;
      return;
    }
    if (raw.trim() === '```') {
      if (pending) throw new Error(`docs/runbook.md:${pending.line}: the command's last line ends in a backslash`);
      inSh = false;
      return;
    }
    if (!pending && (raw.trim() === '' || raw.trim().startsWith('#'))) return;
    const at = commentStart(raw);
    const code = (at < 0 ? raw : raw.slice(0, at)).trimEnd();
    const comment = at < 0 ? '' : raw.slice(at + 1).trim();
    pending ??= { line: index + 1, parts: [], comments: [] };
    if (comment) pending.comments.push(comment);
    if (code.endsWith('\\')) {
      pending.parts.push(code.slice(0, -1).trim());
      return;
    }
    pending.parts.push(code.trim());
    const text = pending.parts.join(' ');
    const joined = pending.comments.join(' ');
    commands.push({
      line: pending.line,
      text,
      comment: joined,
      checkOnly: /\bcompose only\b|\bnot in the test\b/.test(joined),
      exitCodes: [0, ...[...joined.matchAll(/\bexit (\d+)\b/g)].map((m) => Number(m[1]))],
    });
    pending = undefined;
  });
  return commands;
}

/** The `temporal …` cells of the tctl → temporal table, with their lines. */
export function mappingTableCommands(markdown: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  markdown.split('\n').forEach((raw, index) => {
    if (!raw.startsWith('| `tctl ')) return;
    const cell = raw.split('|')[2] ?? '';
    const code = /`(temporal [^`]*)`/.exec(cell)?.[1];
    if (code) found.push({ line: index + 1, text: code });
  });
  return found;
}

/** Shell words of a command (single and double quotes, no expansion): enough to find subcommands and flags. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export const readRunbook = (path: string): string => readFileSync(path, 'utf8');
