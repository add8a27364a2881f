/**
 * A run's inbox: how another process (`baton answer`, `baton stop`, a second
 * editor window) hands a request to the process that owns the run. Each
 * message is its own file, written atomically under a unique name that sorts
 * by time; the owner reads, applies, then consumes (deletes) it.
 */
import type { AnswerValue } from '@baton/core';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isTempName, writeFileAtomic } from './atomicFile';
import { hasCode, StoreError, toStoreError } from './storeError';

/** A request to the run's owner. */
export type InboxMessage =
  /** Answers an open prompt (`baton answer <runId> <promptId> <value>`). */
  | {
      readonly kind: 'answer';
      readonly promptId: string;
      readonly value: AnswerValue;
      readonly by: string;
    }
  /** Asks the owner to stop the run (`baton stop <runId>`). */
  | { readonly kind: 'stop'; readonly by: string; readonly reason?: string };

/** A message found in an inbox. */
export interface InboxEntry {
  /** File name; pass it to `consumeInboxMessage` once handled. */
  readonly name: string;
  /** Epoch ms when it was sent. */
  readonly sentAt: number;
  /** Pid of the sender. */
  readonly senderPid: number;
  readonly message: InboxMessage;
}

/** An inbox file that could not be read as a message; consume it to drop it. */
export interface InboxProblem {
  readonly name: string;
  readonly problem: string;
}

function isAnswerValue(value: unknown): value is AnswerValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/** The first reason `value` is not an `InboxMessage`, or undefined. */
export function inboxMessageProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (typeof v.by !== 'string') return '"by" is not a string';
  switch (v.kind) {
    case 'answer':
      if (typeof v.promptId !== 'string' || v.promptId === '') return '"promptId" is not a string';
      return isAnswerValue(v.value) ? undefined : '"value" is not an answer value';
    case 'stop':
      return v.reason === undefined || typeof v.reason === 'string'
        ? undefined
        : '"reason" is not a string';
    default:
      return `unknown kind ${JSON.stringify(v.kind)}`;
  }
}

/**
 * Drops `message` into the inbox directory `dir` (which must exist: it is
 * created with the run). Returns the file name.
 */
export async function writeInboxMessage(dir: string, message: InboxMessage): Promise<string> {
  const problem = inboxMessageProblem(message);
  if (problem !== undefined) throw new TypeError(`invalid inbox message: ${problem}`);
  try {
    await fs.access(dir);
  } catch (error) {
    throw toStoreError(error, 'opening inbox', dir);
  }
  const sentAt = Date.now();
  const name = `${String(sentAt).padStart(15, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.json`;
  const body = { sentAt, senderPid: process.pid, message };
  await writeFileAtomic(path.join(dir, name), `${JSON.stringify(body)}\n`);
  return name;
}

async function readEntry(
  dir: string,
  name: string,
): Promise<InboxEntry | InboxProblem | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, name), 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined; // Consumed meanwhile.
    throw toStoreError(error, 'reading', path.join(dir, name));
  }
  try {
    const body = JSON.parse(text) as { sentAt?: unknown; senderPid?: unknown; message?: unknown };
    const problem = inboxMessageProblem(body.message);
    if (problem !== undefined) return { name, problem };
    const sentAt = typeof body.sentAt === 'number' ? body.sentAt : 0;
    const senderPid = typeof body.senderPid === 'number' ? body.senderPid : 0;
    return { name, sentAt, senderPid, message: body.message as InboxMessage };
  } catch {
    return { name, problem: 'not valid JSON' };
  }
}

/** Lists the inbox in the order messages were sent, with unreadable files reported apart. */
export async function readInbox(
  dir: string,
): Promise<{ entries: InboxEntry[]; problems: InboxProblem[] }> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return { entries: [], problems: [] };
    throw toStoreError(error, 'listing inbox', dir);
  }
  const entries: InboxEntry[] = [];
  const problems: InboxProblem[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !isTempName(n)).sort()) {
    const item = await readEntry(dir, name);
    if (item === undefined) continue;
    if ('problem' in item) problems.push(item);
    else entries.push(item);
  }
  return { entries, problems };
}

/** Deletes a handled inbox message. Consuming twice is harmless. */
export async function consumeInboxMessage(dir: string, name: string): Promise<void> {
  if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
    throw new StoreError('EBADID', dir, `invalid inbox message name ${JSON.stringify(name)}`);
  }
  await fs.rm(path.join(dir, name), { force: true }).catch((error: unknown) => {
    throw toStoreError(error, 'consuming', path.join(dir, name));
  });
}
