import { type Command } from '../command';
import { serveCommand } from './serve';

/** Every CLI command, explicitly. Later issues add test, import, export, plan, lint, push. */
export const commands: readonly Command[] = [serveCommand];
