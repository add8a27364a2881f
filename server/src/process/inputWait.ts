/**
 * Tells whether a stage is waiting for a line on its stdin, from what its
 * processes are blocked in (`/proc/<pid>/syscall`). A program that printed
 * `Name? ` and waits in `read(0)` is asking a question; one that printed
 * `Compiling... ` and waits for a compiler is not, though both are silent with
 * an unfinished line. Event-loop programs (Node) wait in `epoll_wait` for
 * everything at once, so for them the answer is only "maybe".
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * - `reading`: a process of the stage is blocked reading the stage's stdin;
 * - `polling`: none reads it, but a process holding it waits in poll/select/epoll (maybe for it);
 * - `busy`: no process of the stage waits on its stdin;
 * - `unknown`: the kernel would not say (no permission, unknown architecture).
 */
export type InputWaitState = 'reading' | 'polling' | 'busy' | 'unknown';

interface SyscallTable {
  readonly read: ReadonlySet<number>;
  readonly poll: ReadonlySet<number>;
}

/** System call numbers per architecture: read/readv, and poll, select, epoll and io_uring waits. */
const SYSCALLS: Readonly<Record<string, SyscallTable>> = {
  x64: { read: new Set([0, 19]), poll: new Set([7, 23, 232, 270, 271, 281, 426, 441]) },
  arm64: { read: new Set([63, 65]), poll: new Set([22, 72, 73, 426, 441]) },
};

/**
 * What the processes `pids` are doing with the stage's stdin, named by its
 * identity (`pipe:[inode]` or `socket:[inode]`, see `streamIdentity`).
 */
export function inputWaitState(pids: readonly number[], stdinPipe: string): InputWaitState {
  const table = SYSCALLS[process.arch];
  if (!table) return 'unknown';
  let polling = false;
  let unreadable = false;
  for (const pid of pids) {
    const call = readSyscall(pid);
    if (call === 'unreadable') {
      unreadable = true;
      continue;
    }
    if (!call) continue;
    if (table.read.has(call.number) && fdIdentity(pid, call.firstArgument) === stdinPipe) {
      return 'reading';
    }
    if (table.poll.has(call.number) && holdsPipe(pid, stdinPipe)) polling = true;
  }
  if (polling) return 'polling';
  return unreadable ? 'unknown' : 'busy';
}

/** The first of `pids` blocked reading the stage's stdin (named as for `inputWaitState`), if any. */
export function stdinReaderOf(pids: readonly number[], stdinPipe: string): number | undefined {
  const table = SYSCALLS[process.arch];
  if (!table) return undefined;
  return pids.find((pid) => {
    const call = readSyscall(pid);
    return (
      typeof call === 'object' &&
      table.read.has(call.number) &&
      fdIdentity(pid, call.firstArgument) === stdinPipe
    );
  });
}

/**
 * The `pipe:[inode]` or `socket:[inode]` identity of a process's file
 * descriptor (Node connects child stdio through socket pairs), or undefined.
 */
export function streamIdentity(pid: number, fd: number): string | undefined {
  const link = fdIdentity(pid, fd);
  return link?.startsWith('pipe:') || link?.startsWith('socket:') ? link : undefined;
}

/** The system call a process is blocked in, undefined when it runs or is gone. */
function readSyscall(
  pid: number,
): { readonly number: number; readonly firstArgument: number } | 'unreadable' | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/syscall`, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'unreadable' : undefined;
  }
  // "running" while on a CPU, "-1 …" when blocked outside a system call.
  const [number, argument] = text.trim().split(' ');
  const call = Number(number);
  if (!Number.isInteger(call) || call < 0 || argument === undefined) return undefined;
  return { number: call, firstArgument: Number.parseInt(argument, 16) };
}

function fdIdentity(pid: number, fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function holdsPipe(pid: number, pipe: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => fdIdentity(pid, Number(fd)) === pipe);
}
