/**
 * @module
 * One tool call of a generated transcript (bench/gen-transcripts.ts) and what it gave back,
 * sized like real ones: file reads and command output of a few KB, edits, new files.
 */
import path from 'node:path';
import {
  codeText,
  commandOutput,
  fileText,
  prose,
  shellCommand,
  sourcePath,
  type Rng,
} from './transcript-content.js';

/** A tool call: its name and input, the result the model reads, and Claude Code's own record of it. */
export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  result: string;
  toolUseResult: unknown;
}

/** A Read, Bash, Edit or Write call in the folder `cwd`. */
export function toolCall(rng: Rng, cwd: string): ToolCall {
  const file = path.posix.join(cwd, sourcePath(rng));
  const kind = rng.int(0, 9);
  let input: Record<string, unknown>;
  let result: string;
  let toolUseResult: unknown;
  if (kind < 4) {
    const text = fileText(rng, rng.int(600, 12_000));
    input = { file_path: file };
    result = text;
    const numLines = text.split('\n').length;
    toolUseResult = {
      type: 'text',
      file: { filePath: file, content: text, numLines, startLine: 1, totalLines: numLines },
    };
  } else if (kind < 7) {
    const stdout = commandOutput(rng, rng.int(150, 6_000));
    input = { command: shellCommand(rng), description: prose(rng, 1) };
    result = stdout;
    toolUseResult = { stdout, stderr: '', interrupted: false, isImage: false };
  } else if (kind < 9) {
    const oldString = codeText(rng, rng.int(80, 600));
    const newString = codeText(rng, rng.int(80, 900));
    input = { file_path: file, old_string: oldString, new_string: newString };
    result = `The file ${file} has been updated.`;
    toolUseResult = {
      filePath: file,
      oldString,
      newString,
      originalFile: codeText(rng, rng.int(1_000, 8_000)),
    };
  } else {
    const content = codeText(rng, rng.int(500, 6_000));
    input = { file_path: file, content };
    result = `File created successfully at: ${file}`;
    toolUseResult = { type: 'create', filePath: file, content };
  }
  const name = kind < 4 ? 'Read' : kind < 7 ? 'Bash' : kind < 9 ? 'Edit' : 'Write';
  return { name, input, result, toolUseResult };
}
