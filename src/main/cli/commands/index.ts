import { type Command } from '../command';
import { exportCommand } from './export';
import { importCommand, validateCommand } from './import';
import { planCommand } from './plan';
import { policyCommand } from './policy';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { testCommand } from './test';

/** Every CLI command, explicitly. Later issues add lint, push. */
export const commands: readonly Command[] = [serveCommand, importCommand, validateCommand, exportCommand, testCommand, planCommand, runCommand, policyCommand];
