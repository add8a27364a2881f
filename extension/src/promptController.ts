import * as vscode from 'vscode';
import type { AnswerPromptParams, AnswerValue, PromptInfo } from '@baton/protocol';
import { askQuestion } from './askQuestion';
import type { Config } from './config';
import { CommandIds } from './model/commandIds';
import { errorText } from './model/errorText';
import { promptHeadline, promptTitle } from './model/promptModel';
import type { PromptNotice } from './model/promptNotice';
import { promptNotice } from './model/promptNotice';
import { runLabel } from './model/runLabel';
import type { ServerMirror } from './model/serverMirror';
import { showClosableNotification, showError, showInfo } from './vscode/windowMessages';
import { pickOne } from './vscode/quickPick';

/** Sends `baton/answerPrompt`. */
export type SendAnswer = (params: AnswerPromptParams) => Promise<unknown>;

function promptKey(runId: string, promptId: string): string {
  return `${runId}\u0000${promptId}`;
}

/**
 * Announces prompts as they open (a notification with an Answer link, or the
 * picker right away, per `baton.prompts.notify`) and answers them. Each open
 * prompt owns a cancellation source: when the prompt closes anywhere (answered
 * from the CLI or another window, defaulted, timed out) its notification and
 * picker close with it.
 */
export class PromptController implements vscode.Disposable {
  private readonly open = new Map<string, vscode.CancellationTokenSource>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ServerMirror,
    private readonly config: Config,
    private readonly sendAnswer: SendAnswer,
  ) {
    this.subscription = store.onDidChange(() => this.reconcile());
  }

  /**
   * Answers one prompt: with `given` (a notification's button) at once, else
   * in the picker; leaves the prompt open when the picker is dismissed.
   */
  async answer(runId: string, promptId: string, given?: AnswerValue): Promise<void> {
    const prompt = this.store.run(runId)?.prompts.find((p) => p.promptId === promptId);
    const source = this.open.get(promptKey(runId, promptId));
    if (!prompt || !source) {
      void showInfo('That question was already answered or has timed out.');
      return;
    }
    const label = this.runLabelOf(runId);
    const value =
      given ??
      (await askQuestion(prompt, () => promptTitle(label, prompt, Date.now()), source.token));
    if (value === undefined) return;
    try {
      await this.sendAnswer({ runId, promptId, value });
    } catch (error) {
      void showError(`The answer was not accepted: ${errorText(error)}`);
    }
  }

  /** Answers the only open prompt, or lets the user pick one of several. */
  async pickAndAnswer(): Promise<void> {
    const prompts = this.store.openPrompts();
    if (prompts.length === 0) {
      void showInfo('No question is waiting for an answer.');
      return;
    }
    const chosen =
      prompts.length === 1
        ? prompts[0]
        : await pickOne(
            prompts.map((p) => ({
              label: promptHeadline(this.runLabelOf(p.runId), p),
              description: p.runId,
              value: p,
            })),
            { title: 'Answer a question', placeholder: 'Pick the question to answer' },
          );
    if (chosen) await this.answer(chosen.runId, chosen.promptId);
  }

  /** Closes every notification and picker this controller opened. */
  dispose(): void {
    this.subscription.dispose();
    for (const source of this.open.values()) {
      source.cancel();
      source.dispose();
    }
    this.open.clear();
  }

  private reconcile(): void {
    const current = new Map(
      this.store.openPrompts().map((p) => [promptKey(p.runId, p.promptId), p]),
    );
    for (const [key, source] of this.open) {
      if (current.has(key)) continue;
      source.cancel();
      source.dispose();
      this.open.delete(key);
    }
    for (const [key, prompt] of current) {
      if (this.open.has(key)) continue;
      const source = new vscode.CancellationTokenSource();
      this.open.set(key, source);
      this.announce(prompt, source.token);
    }
  }

  private announce(prompt: PromptInfo, token: vscode.CancellationToken): void {
    switch (this.config.promptNotify) {
      case 'silent':
        return;
      case 'quickPick':
        void this.answer(prompt.runId, prompt.promptId);
        return;
      case 'notification': {
        const notice = (): PromptNotice =>
          promptNotice(this.runLabelOf(prompt.runId), prompt, Date.now());
        showClosableNotification(
          notice().headline,
          () => noticeMessage(prompt, notice()),
          token,
          prompt.deadline !== undefined,
        );
      }
    }
  }

  private runLabelOf(runId: string): string {
    const summary = this.store.run(runId)?.summary;
    return summary ? runLabel(summary) : 'Baton';
  }
}

/**
 * The notification's text under the question: its buttons as command links
 * (a progress notification, the only kind the extension can close, has no
 * buttons of its own), then the time left.
 */
function noticeMessage(prompt: PromptInfo, notice: PromptNotice): string {
  const links = notice.buttons.map((button) => {
    const args = [
      prompt.runId,
      prompt.promptId,
      ...(button.value !== undefined ? [button.value] : []),
    ];
    const query = encodeURIComponent(JSON.stringify(args));
    return `[${button.label}](command:${CommandIds.answerPrompt}?${query})`;
  });
  const time = notice.timeLeft !== undefined ? ` · ${notice.timeLeft}` : '';
  return `${links.join(' · ')}${time}`;
}
