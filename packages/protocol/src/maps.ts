/**
 * The four method maps, one per direction and kind. Both ends derive their
 * typed senders and handler tables from these, so a method added here is
 * checked on both sides.
 */
import type * as G from './language';
import type * as I from './items';
import type * as L from './lifecycle';
import type * as N from './notifications';
import type * as R from './requests';

/** A request's params and result. */
interface Req<P, R> {
  readonly params: P;
  readonly result: R;
}

/** Requests the client sends and the server answers. */
export type ServerRequests = {
  readonly [L.InitializeMethod]: Req<L.InitializeParams, L.InitializeResult>;
  readonly [L.ShutdownMethod]: Req<null | undefined, null>;
  readonly [R.ListPipelinesMethod]: Req<R.ListPipelinesParams, R.ListPipelinesResult>;
  readonly [R.StartRunMethod]: Req<R.StartRunParams, R.StartRunResult>;
  readonly [R.PlanRunMethod]: Req<R.PlanRunParams, R.PlanRunResult>;
  readonly [R.StopRunMethod]: Req<R.StopRunParams, R.StopRunResult>;
  readonly [R.ResumeRunMethod]: Req<R.ResumeRunParams, R.ResumeRunResult>;
  readonly [R.RetryStageMethod]: Req<R.RetryStageParams, R.RetryStageResult>;
  readonly [R.ListRunsMethod]: Req<R.ListRunsParams, R.ListRunsResult>;
  readonly [R.GetRunMethod]: Req<R.GetRunParams, R.GetRunResult>;
  readonly [I.ListItemsMethod]: Req<I.ListItemsParams, I.ListItemsResult>;
  readonly [R.GetRunTimelineMethod]: Req<R.GetRunTimelineParams, R.GetRunTimelineResult>;
  readonly [R.AnswerPromptMethod]: Req<R.AnswerPromptParams, R.AnswerPromptResult>;
  readonly [R.GetEventsMethod]: Req<R.GetEventsParams, R.GetEventsResult>;
  readonly [R.GetLogMethod]: Req<R.GetLogParams, R.GetLogResult>;
  readonly [R.GetLockMethod]: Req<R.GetLockParams, R.GetLockResult>;
  readonly [R.BreakLockMethod]: Req<R.BreakLockParams, R.BreakLockResult>;
  readonly [R.CompareRunsMethod]: Req<R.CompareRunsParams, R.CompareRunsResult>;
};

/** Notifications the server sends to the client. */
export type ServerNotifications = {
  readonly [N.DidChangeRunMethod]: N.DidChangeRunParams;
  readonly [N.DidAppendLogMethod]: N.DidAppendLogParams;
  readonly [N.DidOpenPromptMethod]: N.DidOpenPromptParams;
  readonly [N.DidClosePromptMethod]: N.DidClosePromptParams;
  readonly [N.DidChangePipelinesMethod]: N.DidChangePipelinesParams;
  readonly [N.DidAnnotateMethod]: N.DidAnnotateParams;
  readonly [N.DidOpenDebugTargetMethod]: N.DidOpenDebugTargetParams;
  readonly [L.LogMessageMethod]: L.LogMessageParams;
  readonly [L.ShowMessageMethod]: L.ShowMessageParams;
  readonly [L.LogTraceMethod]: L.LogTraceParams;
  readonly [L.ProgressMethod]: L.ProgressParams;
  readonly [G.PublishDiagnosticsMethod]: G.PublishDiagnosticsParams;
};

/** Requests the server sends and the client answers. */
export type ClientRequests = {
  readonly [L.WorkDoneProgressCreateMethod]: Req<L.WorkDoneProgressCreateParams, null>;
};

/** Notifications the client sends to the server. */
export type ClientNotifications = {
  readonly [L.InitializedMethod]: Record<string, never>;
  readonly [L.ExitMethod]: null | undefined;
  readonly [L.CancelRequestMethod]: L.CancelParams;
  readonly [L.SetTraceMethod]: L.SetTraceParams;
  readonly [L.WorkDoneProgressCancelMethod]: L.WorkDoneProgressCancelParams;
};

/** A method of `ServerRequests`. */
export type ServerRequestMethod = keyof ServerRequests;
/** A method of `ServerNotifications`. */
export type ServerNotificationMethod = keyof ServerNotifications;
/** A method of `ClientRequests`. */
export type ClientRequestMethod = keyof ClientRequests;
/** A method of `ClientNotifications`. */
export type ClientNotificationMethod = keyof ClientNotifications;
