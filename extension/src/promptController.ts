import * as vscode from 'vscode';
import type { AnswerPromptParams, AnswerValue, PromptInfo } from '@baton/protocol';
import { askQuestion } from './askQuestion';
import { closedQuestionText } from './model/answeredPrompts';
import type { Config } from './config';
import { errorText } from './model/errorText';
import { promptHeadline, promptTitle } from './model/promptModel';
import { promptNotice } from './model/promptNotice';
import { runLabel } from './model/runLabel';
import type { ServerMirror } from './model/serverMirror';
import { showError, showInfo } from './vscode/windowMessages';
import { pickOne } from './vscode/quickPick';

/** Sends `baton/answerPrompt`. */
export type SendAnswer = (params: AnswerPromptParams) => Promise<unknown>;

function promptKey(runId: string, promptId: string): string {
  return `${runId}\u0000${promptId}`;
}

/**
 * Announces prompts as they open (a notification with answer buttons, or the
 * picker right away, per `baton.prompts.notify`) and answers them. Each open
 * prompt owns a cancellation source: when the prompt closes anywhere (answered
 * from the CLI or another window, defaulted, timed out) its picker closes
 * with it, and its notification's buttons no longer answer anything.
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
   * `openedAt` names the very question a notification asked: a later
   * question with the same id (the stage's next attempt asks again) is not
   * answered by a stale button.
   */
  async answer(
    runId: string,
    promptId: string,
    given?: AnswerValue,
    openedAt?: number,
  ): Promise<void> {
    const prompt = this.store.run(runId)?.prompts.find((p) => p.promptId === promptId);
    const source = this.open.get(promptKey(runId, promptId));
    if (!prompt || !source || (openedAt !== undefined && prompt.openedAt !== openedAt)) {
      const answered = Object.values(this.store.run(runId)?.answered ?? {}).find(
        (entry) => entry.promptId === promptId,
      );
      void showInfo(closedQuestionText(answered));
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
      this.announce(prompt);
    }
  }

  private announce(prompt: PromptInfo): void {
    switch (this.config.promptNotify) {
      case 'silent':
        return;
      case 'quickPick':
        void this.answer(prompt.runId, prompt.promptId);
        return;
      case 'notification':
        void this.notify(prompt);
    }
  }

  /**
   * A notification with real buttons (see `promptNotice`). VS Code gives an
   * extension no way to close a message it showed, so one whose question was
   * answered elsewhere stays until its toast times out or is dismissed, and is
   * then inert: a click on its button only says the question is closed.
   */
  private async notify(prompt: PromptInfo): Promise<void> {
    const notice = promptNotice(this.runLabelOf(prompt.runId), prompt, Date.now());
    const clicked = await showInfo(notice.text, ...notice.buttons.map((b) => b.label));
    const button = notice.buttons.find((b) => b.label === clicked);
    if (button === undefined) return;
    await this.answer(prompt.runId, prompt.promptId, button.value, prompt.openedAt);
  }

  private runLabelOf(runId: string): string {
    const summary = this.store.run(runId)?.summary;
    return summary ? runLabel(summary) : 'Baton';
  }
}
