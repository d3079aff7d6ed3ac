import { type Command, Option } from "commander";
import { ROLES, type Role } from "../../core/vocabulary.js";
import { createToken, revokeToken } from "../../services/tokens.js";
import { CliError, withLedger } from "../context.js";

export function registerTokenCommands(program: Command): void {
  const tokens = program.command("tokens").description("API tokens for scripts");
  tokens
    .command("create")
    .description("create a token; it is printed once, alone on the last line")
    .requiredOption("--name <name>", "what the token is for (recorded as the actor of its changes)")
    .addOption(new Option("--role <role>", "what it may do").choices([...ROLES]).makeOptionMandatory())
    .action(async (opts: { name: string; role: Role }, cmd: Command) => {
      if (!/^[\w .@-]{1,80}$/.test(opts.name))
        throw new CliError("--name: use 1-80 letters, digits, spaces or . @ - _", 2);
      await withLedger(cmd, async (ledger) => {
        const { id, token } = await createToken(ledger, opts.name, opts.role);
        process.stderr.write(`token ${id} (${opts.role}) created; keep it secret, it is not shown again:\n`);
        process.stdout.write(`${token}\n`);
      });
    });
  tokens
    .command("revoke")
    .argument("<id>", "token id")
    .action(async (id: string, _opts, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        if (!(await revokeToken(ledger, Number(id)))) throw new CliError(`no active token ${id}`);
        process.stdout.write(`token ${id} revoked\n`);
      });
    });
}
