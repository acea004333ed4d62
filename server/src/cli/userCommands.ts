/** What each accounts-CLI command does, given an open store; output goes through `io` so tests can capture it. */
import { DuplicateUsernameError, type Account, type Store } from '../store';
import { formatWeekdays } from '../lobby';
import type { ShiftDefinition } from '../lobby/types';
import type { UserCommand } from './userArgs';

export type StoreCommand = Exclude<UserCommand, { kind: 'help' | 'shifts' }>;

export interface CommandIo {
  out(line: string): void;
  /** Asks for (or reads) the new password; only called once every other argument has been checked. */
  newPassword(fromStdin: boolean): Promise<string>;
}

/** A failure the operator can fix, reported without a stack trace. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export async function runUserCommand(command: StoreCommand, store: Store, io: CommandIo): Promise<void> {
  switch (command.kind) {
    case 'add': {
      // Checked before asking for the password so nobody types it twice for nothing; create() re-checks.
      if (await store.accounts.findByUsername(command.username))
        throw new DuplicateUsernameError(command.username);
      const password = await io.newPassword(command.passwordStdin);
      const { username, displayName, role, languages, shift } = command;
      const account = await store.accounts.create({
        username,
        displayName,
        role,
        languages,
        shift,
        password,
      });
      io.out(
        `Added ${account.role} "${account.username}" (${account.displayName}), languages ${account.languages.join(', ')}${account.shift === null ? '' : `, ${account.shift} shift`}.`,
      );
      return;
    }
    case 'shift': {
      const account = await findOrFail(store, command.username);
      if (account.role !== 'agent')
        throw new CommandError(`"${account.username}" is a ${account.role}: only agents have a shift`);
      await store.accounts.setShift(account.id, command.shift);
      io.out(
        command.shift === null
          ? `"${account.username}" has no shift now.`
          : `"${account.username}" works the ${command.shift} shift now (from their next sign-in).`,
      );
      return;
    }
    case 'list': {
      const accounts = await store.accounts.list(command.role);
      if (accounts.length === 0) io.out('No accounts.');
      else for (const line of formatTable(accounts)) io.out(line);
      return;
    }
    case 'passwd': {
      const account = await findOrFail(store, command.username);
      const password = await io.newPassword(command.passwordStdin);
      await store.accounts.setPassword(account.id, password);
      io.out(`Password changed for "${account.username}"; their sign-ins have ended.`);
      return;
    }
    case 'disable': {
      const account = await findOrFail(store, command.username);
      await store.accounts.disable(account.id);
      io.out(
        account.disabled
          ? `"${account.username}" was already disabled.`
          : `Disabled "${account.username}"; their sign-ins have ended.`,
      );
      return;
    }
    case 'signout': {
      const account = await findOrFail(store, command.username);
      await store.accounts.endSessions(account.id);
      io.out(`Signed "${account.username}" out everywhere.`);
      return;
    }
  }
}

async function findOrFail(store: Store, username: string): Promise<Account> {
  const account = await store.accounts.findByUsername(username);
  if (!account) throw new CommandError(`no account named "${username}"`);
  return account;
}

function formatTable(accounts: readonly Account[]): string[] {
  const rows = [
    ['USERNAME', 'ROLE', 'STATUS', 'LANGUAGES', 'SHIFT', 'NAME'],
    ...accounts.map((a) => [
      a.username,
      a.role,
      status(a),
      a.languages.join(','),
      a.shift ?? '-',
      a.displayName,
    ]),
  ];
  return alignColumns(rows);
}

/** The shift calendar, one shift a line: name, hours, days. */
export function formatShifts(shifts: readonly ShiftDefinition[]): string[] {
  return alignColumns([
    ['SHIFT', 'HOURS', 'DAYS'],
    ...shifts.map((s) => [s.name, `${s.start}-${s.end}`, s.days ? formatWeekdays(s.days) : 'every day']),
  ]);
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

function status(account: Account): string {
  if (account.disabled) return 'disabled';
  return account.approved ? 'active' : 'pending';
}
