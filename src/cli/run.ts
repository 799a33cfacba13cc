/** Process entry: runs the CLI with this process's arguments and sets its exit code. */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
