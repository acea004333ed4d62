/**
 * Accounts CLI: `node --import tsx server/src/cli/user.ts <command>` (or `npm run user -- <command>`).
 * Exit codes: 0 success, 1 the command failed, 2 bad invocation, 130 cancelled at a prompt.
 */
import type { ReadStream } from 'node:tty';
import { describeStoreLocation, openStore, StoreError, type Store } from '../store';
import { PasswordInputError, promptNewPassword, readPasswordFromStream } from './readPassword';
import { parseUserArgs, USAGE, UsageError } from './userArgs';
import { CommandError, formatShifts, runUserCommand, type CommandIo } from './userCommands';

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command;
  try {
    command = parseUserArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\nRun with --help for usage.`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'shifts') {
    for (const line of formatShifts(command.shifts)) console.log(line);
    return 0;
  }

  let store: Store;
  try {
    store = await openStore(command.db);
  } catch (error) {
    const where = describeStoreLocation(command.db);
    console.error(
      `error: cannot open database "${where}": ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  try {
    await runUserCommand(command, store, io);
    return 0;
  } catch (error) {
    if (error instanceof PasswordInputError && error.message === 'cancelled') return 130;
    if (error instanceof StoreError || error instanceof CommandError || error instanceof PasswordInputError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

const io: CommandIo = {
  out: (line) => console.log(line),
  newPassword: (fromStdin) =>
    fromStdin || !process.stdin.isTTY
      ? readPasswordFromStream(process.stdin)
      : // Prompts go to stderr so stdout stays clean for scripts.
        promptNewPassword(process.stdin as ReadStream, process.stderr),
};

process.exitCode = await main(process.argv.slice(2), process.env);
