/**
 * The `tally` command. Each command lives in its own module under commands/ and only parses
 * arguments and formats results: the work is done by services.
 */
import { Command } from "commander";
import { registerPlacesCommands } from "./commands/places.js";

const program = new Command()
  .name("tally")
  .description("Document incidents, count them by place and time, and compare the counts with claimed figures.")
  .showHelpAfterError();

registerPlacesCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`tally: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 1;
});
