/**
 * The server's configuration, for commands that work on its data (keys,
 * audit). They read it exactly as `serve` does, from `--config FILE` or
 * SECURE_ENVELOPE_CONFIG and then the environment, so a deployment configured
 * by file is found by its admin's commands without repeating DATA_DIR and
 * DATABASE_URL in the shell.
 */
import type { Config } from '../server/config';
import { CliError } from './command';

/** Exit code of a configuration the server would refuse too (as `serve` answers it). */
const CONFIG_EXIT = 2;

export async function loadServerConfig(env: NodeJS.ProcessEnv, file: string | undefined): Promise<Config> {
  // The server's modules load only when a command needs them, so other commands start fast.
  const { ConfigError, loadConfig } = await import('../server/config');
  try {
    return loadConfig(env, file ?? env.SECURE_ENVELOPE_CONFIG);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, CONFIG_EXIT);
    throw e;
  }
}
