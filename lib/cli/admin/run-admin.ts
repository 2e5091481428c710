import fs from 'node:fs';
import os from 'node:os';
import { DatabaseInUseError, openDatabase } from '@/db/client';
import { env } from '@/lib/env';
import { giveDataset } from '@/lib/server/admin/give-dataset';
import { listUsers } from '@/lib/server/admin/list-users';
import { setUserDisabled } from '@/lib/server/admin/set-user-disabled';
import { findAccountOrThrow } from '@/lib/server/admin/find-account-or-throw';
import { setUserRole } from '@/lib/server/admin/set-user-role';
import type { ServiceContext } from '@/lib/server/context';
import { grantDataset } from '@/lib/server/datasets/grant-dataset';
import { registerLocalDatasetVersions } from '@/lib/server/datasets/register-local-dataset-versions';
import { createChallengeFromDefinition } from '@/lib/server/organiser/create-challenge-from-definition';
import { publishChallenge } from '@/lib/server/organiser/publish-challenge';
import { isAppError } from '@/lib/shared/app-error';

export const adminUsage = `npm run admin -- <command> [--json]   (on the server, against DATABASE_URL or the embedded database in DATA_DIR)

  users [--search <text>]                      list accounts: role, disabled, datasets owned and granted
  set-role <email> <participant|organiser|admin>
  grant-organiser <email>                      same as set-role <email> organiser
  revoke-organiser <email>                     same as set-role <email> participant
  disable <email>                              no sign-in; sessions end and API tokens stop at once
  enable <email>
  grant-dataset <dataset> <email>              let an organiser attach the dataset's versions to challenges
  revoke-dataset <dataset> <email>
  set-dataset-owner <dataset> [email]          no e-mail: the platform owns it (only admins attach it)
  create-challenge <definition.json> --as <organiser e-mail>
                                               a draft challenge from a definition file (challenges/schema.ts), owned
                                               by that organiser; dataset versions built into DATA_DIR are registered
                                               first (new datasets become the organiser's)
  publish-challenge <slug> --as <organiser e-mail>

Every action is recorded in the audit log as done from the console. On the embedded database the server must be
stopped first (PGlite allows one process per data directory); use the /admin page while it runs.`;

export class AdminUsageError extends Error {}

type Output = { text: string; json: unknown };

function positionals(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--search' || arg === '--as') i++;
    else if (!arg.startsWith('--')) out.push(arg);
  }
  return out;
}

function need(values: string[], count: number, usage: string): string[] {
  if (values.length !== count) throw new AdminUsageError(`expected ${usage}, got ${values.length === 0 ? 'nothing' : values.join(' ')}`);
  return values;
}

async function runCommand(ctx: ServiceContext, command: string, args: string[]): Promise<Output> {
  const rest = positionals(args);
  switch (command) {
    case 'users': {
      const index = args.indexOf('--search');
      const users = await listUsers(ctx, { search: index >= 0 ? args[index + 1] : undefined });
      const lines = users.map((u) =>
        [u.email.padEnd(34), u.role.padEnd(11), u.isDisabled ? 'DISABLED' : 'active  ', u.ownedDatasets.length ? `owns ${u.ownedDatasets.join(',')}` : '', u.grantedDatasets.length ? `granted ${u.grantedDatasets.join(',')}` : '']
          .join(' ')
          .trimEnd(),
      );
      return { text: lines.join('\n') || 'no accounts', json: users };
    }
    case 'set-role':
    case 'grant-organiser':
    case 'revoke-organiser': {
      const [email, role] = command === 'set-role' ? need(rest, 2, '<email> <role>') : [...need(rest, 1, '<email>'), command === 'grant-organiser' ? 'organiser' : 'participant'];
      const done = await setUserRole(ctx, { email: email as string, role: role as never });
      return { text: `${done.email}: ${done.previousRole} → ${done.role}`, json: done };
    }
    case 'disable':
    case 'enable': {
      const [email] = need(rest, 1, '<email>');
      const done = await setUserDisabled(ctx, { email: email as string, isDisabled: command === 'disable' });
      return { text: done.isDisabled ? `${done.email} disabled; ${done.endedSessions} session(s) ended` : `${done.email} enabled`, json: done };
    }
    case 'grant-dataset':
    case 'revoke-dataset': {
      const [dataset, email] = need(rest, 2, '<dataset> <email>');
      const done = await grantDataset(ctx, { dataset: dataset as string, email: email as string, isGranted: command === 'grant-dataset' });
      return { text: `${done.dataset} ${done.isGranted ? 'granted to' : 'revoked from'} ${done.email}${done.changed ? '' : ' (no change)'}`, json: done };
    }
    case 'set-dataset-owner': {
      if (rest.length < 1 || rest.length > 2) throw new AdminUsageError('expected <dataset> [email]');
      const done = await giveDataset(ctx, { dataset: rest[0] as string, email: rest[1] ?? '' });
      return { text: `${done.dataset} now belongs to ${done.owner ?? 'the platform'}`, json: done };
    }
    case 'create-challenge':
    case 'publish-challenge': {
      const [target] = need(rest, 1, command === 'create-challenge' ? '<definition.json> --as <e-mail>' : '<slug> --as <e-mail>');
      const as = args.indexOf('--as') >= 0 ? args[args.indexOf('--as') + 1] : undefined;
      if (!as) throw new AdminUsageError(`${command} acts as an organiser: add --as <e-mail>`);
      const account = await findAccountOrThrow(ctx.db, as);
      const organiser: ServiceContext = { ...ctx, user: { id: account.id, email: account.email, name: account.name, role: account.role } };
      if (command === 'publish-challenge') {
        const done = await publishChallenge(organiser, { slug: target as string });
        return { text: `${done.slug} published ("${done.title}", revision ${done.revision})`, json: done };
      }
      let definitionJson: string;
      try {
        definitionJson = fs.readFileSync(target as string, 'utf8');
      } catch (error) {
        throw new AdminUsageError(`cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      // Versions built with npm run pipeline into DATA_DIR and not registered yet (a server rescan would do the same).
      await registerLocalDatasetVersions(ctx.db, ctx.dataDir, { ownerId: account.id });
      const done = await createChallengeFromDefinition(organiser, { definitionJson });
      return { text: `${done.slug} created as a draft of ${account.email} ("${done.title}"); publish it with publish-challenge ${done.slug} --as ${account.email}`, json: done };
    }
    default:
      throw new AdminUsageError(`unknown command "${command}"`);
  }
}

/** Runs one admin command; returns the exit code (0 done, 2 usage or refused, 1 unexpected). */
export async function runAdmin(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    io.out(adminUsage);
    return command ? 0 : 2;
  }
  let handle;
  try {
    handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      io.err(`admin: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    await handle.migrate();
    const ctx: ServiceContext = {
      db: handle.db,
      dataDir: env.DATA_DIR,
      user: null,
      now: () => new Date(),
      queue: { enqueueScoring: async () => undefined },
      console: { operator: os.userInfo().username },
    };
    const output = await runCommand(ctx, command, args);
    io.out(args.includes('--json') ? JSON.stringify(output.json) : output.text);
    return 0;
  } catch (error) {
    if (error instanceof AdminUsageError) {
      io.err(`admin: ${error.message}\n\n${adminUsage}`);
      return 2;
    }
    if (isAppError(error)) {
      io.err(`admin: ${error.message}`);
      return 2;
    }
    if (error instanceof Error && error.name === 'ZodError') {
      io.err(`admin: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await handle.close();
  }
}
