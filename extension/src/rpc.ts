import { NotificationType, RequestType } from 'vscode-languageclient/node';
import * as P from '@baton/protocol';
import type { ServerNotifications, ServerRequests } from '@baton/protocol';

function request<M extends keyof ServerRequests>(
  method: M,
): RequestType<ServerRequests[M]['params'], ServerRequests[M]['result'], void> {
  return new RequestType(method);
}

function notification<M extends keyof ServerNotifications>(
  method: M,
): NotificationType<ServerNotifications[M]> {
  return new NotificationType(method);
}

/**
 * Typed request objects for every Baton request the extension sends (client →
 * server), derived from the protocol's method constants and `ServerRequests`
 * map, so a renamed method or changed type breaks the build here.
 */
export const Requests = {
  listPipelines: request(P.ListPipelinesMethod),
  startRun: request(P.StartRunMethod),
  stopRun: request(P.StopRunMethod),
  resumeRun: request(P.ResumeRunMethod),
  retryStage: request(P.RetryStageMethod),
  planRun: request(P.PlanRunMethod),
  listRuns: request(P.ListRunsMethod),
  getRun: request(P.GetRunMethod),
  listItems: request(P.ListItemsMethod),
  getRunTimeline: request(P.GetRunTimelineMethod),
  answerPrompt: request(P.AnswerPromptMethod),
  getEvents: request(P.GetEventsMethod),
  getLog: request(P.GetLogMethod),
  getLock: request(P.GetLockMethod),
  breakLock: request(P.BreakLockMethod),
  // A language request (served with the open documents), so not in `ServerRequests`.
  getDocumentPipeline: new RequestType<
    P.GetDocumentPipelineParams,
    P.GetDocumentPipelineResult,
    void
  >(P.GetDocumentPipelineMethod),
  compareRuns: request(P.CompareRunsMethod),
} as const;

/** Typed notification objects for every Baton notification the server sends (server → client). */
export const Notifications = {
  didChangeRun: notification(P.DidChangeRunMethod),
  didAppendLog: notification(P.DidAppendLogMethod),
  didOpenPrompt: notification(P.DidOpenPromptMethod),
  didClosePrompt: notification(P.DidClosePromptMethod),
  didChangePipelines: notification(P.DidChangePipelinesMethod),
  didAnnotate: notification(P.DidAnnotateMethod),
  didOpenDebugTarget: notification(P.DidOpenDebugTargetMethod),
} as const;
