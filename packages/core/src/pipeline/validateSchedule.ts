import { cronProblem, isTimeZone } from './cron';
import type { DiagnosticSink } from './diagnosticSink';
import type { Writable } from './writable';
import { SCHEDULE_KEYS } from './keys';
import type { OverlapPolicy, ScheduleSpec } from './model';
import { checkKeys, readEntries, readText } from './readers';
import type { SourceNode } from './sourceNode';
import { didYouMean, didYouMeanFix } from './suggest';

/** The overlap policies; the first is the default. */
export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['skip', 'queue', 'cancel-running'];

/** Reads `schedule: { cron, overlap, timezone }`; a bare string is shorthand for `{ cron: … }`. */
export function readSchedule(node: SourceNode, sink: DiagnosticSink): ScheduleSpec | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string')
    return readCron(node, undefined, sink, 'skip');
  const fields = readEntries(node, sink, 'schedule');
  if (fields === undefined) return undefined;
  checkKeys(fields, SCHEDULE_KEYS, sink, 'schedule');
  const cron = fields.get('cron');
  if (cron === undefined) {
    sink.error(
      node.range,
      'missing-key',
      'schedule: "cron" is missing, e.g. cron: "0 2 * * *" for 02:00 every day.',
    );
    return undefined;
  }
  const overlap = readOverlap(fields.get('overlap')?.value, sink);
  const zoneNode = fields.get('timezone')?.value;
  const timezone =
    zoneNode === undefined ? undefined : readText(zoneNode, sink, 'schedule.timezone');
  if (zoneNode !== undefined && timezone !== undefined && !isTimeZone(timezone)) {
    sink.error(
      zoneNode.range,
      'bad-timezone',
      `schedule.timezone: "${timezone}" is not a known IANA time zone, e.g. Europe/Berlin or America/New_York.`,
    );
    return undefined;
  }
  return readCron(cron.value, timezone, sink, overlap);
}

function readCron(
  node: SourceNode,
  timezone: string | undefined,
  sink: DiagnosticSink,
  overlap: OverlapPolicy,
): ScheduleSpec | undefined {
  const cron = readText(node, sink, 'schedule.cron');
  if (cron === undefined) return undefined;
  const problem = cronProblem(cron, timezone);
  if (problem !== undefined) {
    sink.error(
      node.range,
      'bad-cron',
      `schedule.cron: "${cron}" is not a valid cron expression: ${problem}.`,
    );
    return undefined;
  }
  const schedule: Writable<ScheduleSpec> = { cron: cron.trim(), overlap };
  if (timezone !== undefined) schedule.timezone = timezone;
  return schedule;
}

function readOverlap(node: SourceNode | undefined, sink: DiagnosticSink): OverlapPolicy {
  if (node === undefined) return 'skip';
  const text = readText(node, sink, 'schedule.overlap');
  const policy = OVERLAP_POLICIES.find((p) => p === text);
  if (text !== undefined && policy === undefined) {
    sink.error(
      node.range,
      'bad-value',
      `schedule.overlap: "${text}" is not an overlap policy; use ${OVERLAP_POLICIES.join(', ')}.${didYouMean(text, OVERLAP_POLICIES)}`,
      didYouMeanFix(text, OVERLAP_POLICIES),
    );
  }
  return policy ?? 'skip';
}
