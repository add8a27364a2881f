/**
 * Floors of `fanout_10k_ms`: the least a fan-out of no-op items costs a
 * program written in Node, with none of Baton's work (no records, no files,
 * no logs, no write-ahead gate), measured in the same run as Baton and make so
 * the distance between them says how much of Baton's time is its own.
 *
 * - `node-spawn`: Node starts every item itself, `sh -c true` with piped
 *   stdio in a session of its own, two at a time (Node's `spawn` forks the
 *   whole runtime and waits for the child's `exec`).
 * - `node-perl`: Node asks one small Perl helper, over one pipe, to start each
 *   item (Perl forks a process of a few MB), and hears its pid and its exit on
 *   another: the cheapest way a Node program can start processes and know
 *   what became of them.
 */
import { runChecked } from '../processes';

/** The Node program of `node-spawn`: argv[1] items, two at a time; prints nothing. */
const NODE_SPAWN_SOURCE = String.raw`
const { spawn } = require('node:child_process');
const total = Number(process.argv[1]);
let started = 0;
let finished = 0;
function next() {
  if (started >= total) return;
  started += 1;
  const child = spawn('/bin/sh', ['-c', 'true'], { stdio: 'pipe', detached: true });
  child.on('close', () => {
    finished += 1;
    if (finished < total) next();
  });
}
next();
next();
`;

/**
 * The Perl helper of `node-perl`: reads `<id>\n` lines, forks `sh -c true`
 * in a session of its own with stdin and stdout on pipes, and writes
 * `pid <id> <pid>\n` and `exit <id> <code>\n`.
 */
const PERL_HELPER_SOURCE = String.raw`
use strict; use warnings; use POSIX ();
$SIG{CHLD} = sub { };
my $input = ''; my %ids; my %pipes;
sub tell_engine { syswrite(STDOUT, $_[0]); }
while (1) {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $id = delete $ids{$pid};
    delete $pipes{$id};
    tell_engine("exit $id " . ($? >> 8) . "\n");
  }
  my $wanted = ''; vec($wanted, 0, 1) = 1;
  my $count = select(my $ready = $wanted, undef, undef, %ids ? 0.05 : undef);
  next if $count <= 0;
  my $got = sysread(STDIN, $input, 65536, length $input);
  exit 0 unless $got;
  while ((my $end = index($input, "\n")) >= 0) {
    my $id = substr($input, 0, $end); $input = substr($input, $end + 1);
    pipe(my $in_read, my $in_write); pipe(my $out_read, my $out_write);
    my $pid = fork();
    if ($pid == 0) {
      POSIX::setsid(); POSIX::dup2(fileno($in_read), 0); POSIX::dup2(fileno($out_write), 1);
      exec { '/bin/sh' } '/bin/sh', '-c', 'true'; POSIX::_exit(127);
    }
    close $in_read; close $out_write;
    $pipes{$id} = [$in_write, $out_read]; $ids{$pid} = $id;
    tell_engine("pid $id $pid\n");
  }
}
`;

/** The Node side of `node-perl`: argv[1] items, two at a time, through the helper at argv[2]. */
const NODE_PERL_SOURCE = String.raw`
const { spawn } = require('node:child_process');
const total = Number(process.argv[1]);
const helper = spawn('perl', ['-e', process.argv[2]], { stdio: ['pipe', 'pipe', 'inherit'] });
let started = 0;
let finished = 0;
let lines = '';
function next() {
  if (started >= total) return;
  started += 1;
  helper.stdin.write(started + '\n');
}
helper.stdout.setEncoding('utf8');
helper.stdout.on('data', (text) => {
  lines += text;
  for (let end = lines.indexOf('\n'); end >= 0; end = lines.indexOf('\n')) {
    const [type] = lines.slice(0, end).split(' ');
    lines = lines.slice(end + 1);
    if (type !== 'exit') continue;
    finished += 1;
    if (finished < total) next();
    else helper.stdin.end();
  }
});
next();
next();
`;

/** A floor: its row's key, what it measures, and how to run it over `count` items (resolves to wall ms). */
export interface Floor {
  readonly key: string;
  readonly what: string;
  run(count: number): Promise<number>;
}

/** The floors to run beside Baton, by peer name. */
export const FLOORS: ReadonlyMap<string, Floor> = new Map([
  [
    'node-spawn',
    {
      key: 'fanout_floor_node_spawn_ms',
      what: 'a Node program that only starts the items itself (sh -c true, piped, two at a time)',
      run: async (count: number) =>
        (await runChecked(process.execPath, ['-e', NODE_SPAWN_SOURCE, String(count)])).elapsedMs,
    },
  ],
  [
    'node-perl',
    {
      key: 'fanout_floor_node_perl_ms',
      what: 'a Node program that only has a Perl helper start the items and report each pid and exit',
      run: async (count: number) =>
        (
          await runChecked(process.execPath, [
            '-e',
            NODE_PERL_SOURCE,
            String(count),
            PERL_HELPER_SOURCE,
          ])
        ).elapsedMs,
    },
  ],
]);
