/** `npm run admin -- <command>`: account and dataset administration on the server (see run-admin.ts). */
import { runAdmin } from './run-admin';

runAdmin(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`admin: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
