// `jipp seed` (also `npm run seed -- ...`): brings the database up to date (migrations, reference seed),
// then adds or removes the synthetic DEMO network. The definition only; the work loads when it runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { DATABASE_NOTE, helpFooter } from '../src/cli/help';
import { DEMO_SCALES, DEMO_SCALE_NAMES, MAX_SEED } from './demo/scale';

export const EXIT_USAGE = 2;
export const EXIT_CONFLICT = 3;

function parseSeed(value: string): number {
  const seed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) throw new InvalidArgumentError(`expected an integer from 0 to ${MAX_SEED}.`);
  return seed;
}

function scaleHelp(): string {
  return DEMO_SCALE_NAMES.map((name) => {
    const s = DEMO_SCALES[name];
    return `${name} (${s.innovations.toLocaleString('en-US')} innovations / ${s.replications.toLocaleString('en-US')} replications)`;
  }).join(', ');
}

export function seedCommand(): Command {
  const command = new Command('seed')
    .description(
      'Apply pending migrations and the reference seed (idempotent; says what changed).\n' +
        'With --demo, then add a synthetic DEMO network; with --remove-demo, delete it.',
    )
    .option('--demo', 'add the synthetic DEMO network (every row tagged dataset DEMO, confidence UNCONFIRMED)')
    .addOption(new Option('--scale <scale>', `size of the DEMO network: ${scaleHelp()}`).choices(DEMO_SCALE_NAMES).default('national'))
    .option('--seed <int>', 'seed of the DEMO generator; the same seed always gives the same network', parseSeed, 1)
    .addOption(new Option('--remove-demo', 'delete every DEMO row, and nothing else').conflicts('demo'))
    .addHelpText(
      'after',
      helpFooter(
        ['jipp seed', 'jipp seed --demo --scale national --seed 7', 'jipp seed --remove-demo'],
        [
          [0, 'done (or nothing to do)'],
          [1, 'failure'],
          [EXIT_USAGE, 'bad arguments'],
          [EXIT_CONFLICT, 'refused: another DEMO network is loaded, or non-DEMO rows point at DEMO rows'],
        ],
        [
          'Re-running --demo with the scale and seed already loaded changes nothing. Loading a different scale or\n' +
            'seed over an existing DEMO network is refused: remove it first with --remove-demo.',
          DATABASE_NOTE,
        ],
      ),
    );
  return command.action(async (options: { demo?: boolean; removeDemo?: boolean; scale: (typeof DEMO_SCALE_NAMES)[number]; seed: number }) => {
    const given = (name: string) => command.getOptionValueSource(name) === 'cli';
    if (!options.demo && (given('scale') || given('seed'))) command.error('error: --scale and --seed only apply with --demo', { exitCode: EXIT_USAGE });
    const { runSeedCommand } = require('./seed.actions') as typeof import('./seed.actions');
    await runSeedCommand(options);
  });
}
