/**
 * Opens the embedded database of the DATA_DIR given as the first argument and keeps it open, as the server does,
 * printing "open" once it holds it. Tests start it to check what other processes do meanwhile.
 */
import { openDatabase } from '@/db/client';

openDatabase({ dataDir: process.argv[2] ?? '' }).then(
  () => {
    console.log('open');
    setInterval(() => undefined, 1000);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
