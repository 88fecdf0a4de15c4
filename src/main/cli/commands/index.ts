import { type Command } from '../command';
import { exportCommand } from './export';
import { importCommand, validateCommand } from './import';
import { serveCommand } from './serve';

/** Every CLI command, explicitly. Later issues add test, plan, run, lint, push. */
export const commands: readonly Command[] = [serveCommand, importCommand, validateCommand, exportCommand];
