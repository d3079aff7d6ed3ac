/**
 * `tally users`: accounts from the command line, e.g. the first admin. Passwords come from standard input
 * (`--password-stdin`, for scripts) or a prompt that does not echo them; never from an argument, which would
 * end up in shell history and the process list.
 */
import { type Command, Option } from "commander";
import { ROLES, type Role } from "../../core/vocabulary.js";
import { createUser, getUsers, setUserDisabled, setUserPassword, setUserRole } from "../../services/users.js";
import { CliError, formatTable, withLedger } from "../context.js";

const CLI_ACTOR = "cli";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // One trailing newline (from echo or a file) is not part of the password.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Reads a line from the terminal without echoing it. */
async function prompt(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError("no terminal to prompt on: use --password-stdin", 2);
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new CliError("cancelled", 130));
          return;
        }
        if (ch === "\u007f") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}

async function readPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return readStdin();
  const first = await prompt("password: ");
  const again = await prompt("again: ");
  if (first !== again) throw new CliError("the two passwords differ", 2);
  return first;
}

async function userId(ledger: Parameters<typeof getUsers>[0], nameOrId: string): Promise<number> {
  const users = await getUsers(ledger);
  const u = users.find((x) => x.username === nameOrId.toLowerCase() || String(x.id) === nameOrId);
  if (!u) throw new CliError(`no user ${nameOrId}`);
  return u.id;
}

function failure(err: unknown): never {
  if (err instanceof CliError) throw err;
  throw new CliError(err instanceof Error ? err.message : String(err), 1);
}

export function registerUserCommands(program: Command): void {
  const users = program.command("users").description("people who sign in to the web app");
  users
    .command("add")
    .description(
      "create a user; the pseudonym (recorded as the actor of their changes) is random unless given",
    )
    .argument("<name>", "the sign-in name")
    .addOption(new Option("--role <role>", "what they may do").choices([...ROLES]).makeOptionMandatory())
    .option("--pseudonym <pseudonym>", "the name the ledger records for their changes")
    .option("--password-stdin", "read the password from standard input instead of prompting")
    .action(
      async (
        name: string,
        opts: { role: Role; pseudonym?: string; passwordStdin?: boolean },
        cmd: Command,
      ) => {
        const password = await readPassword(opts.passwordStdin);
        await withLedger(cmd, async (ledger) => {
          const u = await createUser(
            ledger,
            {
              username: name,
              role: opts.role,
              password,
              ...(opts.pseudonym ? { pseudonym: opts.pseudonym } : {}),
            },
            CLI_ACTOR,
          ).catch(failure);
          process.stdout.write(`user ${u.id} ${u.username} (${u.role}) created, pseudonym ${u.pseudonym}\n`);
        });
      },
    );
  users
    .command("list")
    .description("list users")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withLedger(cmd, async (ledger) => {
        const all = await getUsers(ledger);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          formatTable(
            ["id", "username", "pseudonym", "role", "state"],
            all.map((u) => [u.id, u.username, u.pseudonym, u.role, u.disabled ? "disabled" : "active"]),
          ),
        );
      });
    });
  users
    .command("set-role")
    .description("change a user's role")
    .argument("<name>", "sign-in name or id")
    .argument("<role>", `one of ${ROLES.join(", ")}`)
    .action(async (name: string, role: string, _opts, cmd: Command) => {
      if (!(ROLES as readonly string[]).includes(role))
        throw new CliError(`role: must be one of ${ROLES.join(", ")}`, 2);
      await withLedger(cmd, async (ledger) => {
        const u = await setUserRole(ledger, await userId(ledger, name), role as Role, CLI_ACTOR).catch(
          failure,
        );
        process.stdout.write(`user ${u.username} is now ${u.role}\n`);
      });
    });
  for (const [command, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    users
      .command(command)
      .description(disabled ? "disable a user and end their sessions" : "enable a disabled user")
      .argument("<name>", "sign-in name or id")
      .action(async (name: string, _opts, cmd: Command) => {
        await withLedger(cmd, async (ledger) => {
          const u = await setUserDisabled(ledger, await userId(ledger, name), disabled, CLI_ACTOR).catch(
            failure,
          );
          process.stdout.write(`user ${u.username} ${u.disabled ? "disabled" : "enabled"}\n`);
        });
      });
  }
  users
    .command("set-password")
    .description("set a user's password and end their sessions")
    .argument("<name>", "sign-in name or id")
    .option("--password-stdin", "read the password from standard input instead of prompting")
    .action(async (name: string, opts: { passwordStdin?: boolean }, cmd: Command) => {
      const password = await readPassword(opts.passwordStdin);
      await withLedger(cmd, async (ledger) => {
        await setUserPassword(ledger, await userId(ledger, name), password, CLI_ACTOR).catch(failure);
        process.stdout.write(`password of ${name} set\n`);
      });
    });
}
