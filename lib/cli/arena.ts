/**
 * `npm run arena -- <command>`: the HEP Arena command-line client (see arena-usage.ts). It talks to the server only
 * through the HTTP API, with ARENA_URL and ARENA_TOKEN (or --url and --token).
 */
import { runArena } from './run-arena';

runArena(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutStream: process.stdout,
  // npm runs scripts in the project folder; INIT_CWD is where the user typed the command.
  cwd: process.env.INIT_CWD || process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('arena: unexpected error', error);
    process.exitCode = 2;
  },
);
