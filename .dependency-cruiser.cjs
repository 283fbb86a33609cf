/**
 * The house rule, checked by `npm run lint`: imports run downward only, and never in a circle.
 *
 *   on top     cli/ producer/ site/ bench/ dashboard/ room/ infra/ (the CDK app)  what people run, the test kit
 *              testing/
 *   4          checks/                                                       one check per module
 *   3          solutions/                                                    solution handlers
 *   2          modules/                                                      attendee material
 *   1          contracts/ infra/constructs/ local/                           records, names, shared CDK
 *                                                                            constructs; the emulator
 *   bottom     core/                                                         curriculum, targets, state
 *
 * Tests (`*.test.ts`) may import whatever they test. `local/` knows no curriculum: it imports
 * only core/ (the local cloud's identity).
 */
const TESTS = '\\.test\\.ts$';
const above = (...folders) => `^(${folders.join('|')})/`;
const TOP = [
  'cli',
  'producer',
  'site',
  'bench',
  'dashboard',
  'room',
  'testing',
  'test',
  'infra/(?!constructs/)',
];

/** A rule that `from` never imports any of `to`. */
const never = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, pathNot: TESTS },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files that import each other cannot be understood (or tested) one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    never(
      'core-is-the-bottom',
      'core/ is imported by everything and imports nothing of the project.',
      '^core/',
      above('local', 'contracts', 'modules', 'solutions', 'checks', ...TOP, 'infra'),
    ),
    never(
      'local-knows-no-curriculum',
      'local/ is an AWS emulator: the workshop (contracts, modules, checks, the CDK app) is not its business.',
      '^local/',
      above('contracts', 'modules', 'solutions', 'checks', ...TOP, 'infra'),
    ),
    never(
      'contracts-stand-alone',
      'The contracts between modules depend on core/ only.',
      '^(contracts|infra/constructs)/',
      above('local', 'modules', 'solutions', 'checks', ...TOP),
    ),
    never(
      'modules-are-attendee-material',
      'A module imports contracts and shared constructs, never the harness, the checks or a solution.',
      '^modules/',
      above('local', 'solutions', 'checks', ...TOP),
    ),
    never(
      'solutions-import-downward',
      'A solution imports what its starter may: contracts and the module given helpers.',
      '^solutions/',
      above('local', 'checks', ...TOP, 'infra'),
    ),
    never(
      'checks-import-downward',
      'Checks read AWS the same way on both targets: they never reach into what people run.',
      '^checks/',
      above(...TOP),
    ),
    never(
      'nothing-imports-tests',
      'Tests import the code, never the other way round.',
      '^(?!test/)',
      '(^test/|\\.test\\.ts$)',
    ),
    never(
      'producer-stands-alone',
      'The producer is compiled into one file: it imports core/ and contracts/ only.',
      '^producer/',
      above(
        'cli',
        'site',
        'bench',
        'dashboard',
        'testing',
        'infra',
        'local',
        'checks',
        'modules',
        'solutions',
      ),
    ),
    never(
      'room-stands-alone',
      "The room board and its attendees' reporting depend on core/ only: every check loads the reporting.",
      '^room/',
      above(
        'cli',
        'producer',
        'site',
        'bench',
        'dashboard',
        'testing',
        'infra',
        'local',
        'contracts',
        'checks',
        'modules',
        'solutions',
      ),
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: '^(node_modules|dist|cdk\\.out|site/build|site/\\.docusaurus|dashboard/build|\\.wildrydes|coverage)',
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.mjs', '.js', '.tsx', '.json'] },
  },
};
