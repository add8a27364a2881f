import * as vscode from 'vscode';
import type { AnswerPromptParams, PromptInfo } from '@baton/protocol';
import { askQuestion } from './askQuestion';
import type { Config } from './config';
import { CommandIds } from './model/commandIds';
import { errorText } from './model/errorText';
import { promptHeadline, promptTitle } from './model/promptModel';
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

  /** Opens the picker for one prompt and sends the answer; leaves the prompt open when dismissed. */
  async answer(runId: string, promptId: string): Promise<void> {
    const prompt = this.store.run(runId)?.prompts.find((p) => p.promptId === promptId);
    const source = this.open.get(promptKey(runId, promptId));
    if (!prompt || !source) {
      void showInfo('That question was already answered or has timed out.');
      return;
    }
    const pipeline = this.store.run(runId)?.summary.pipelineName ?? 'Baton';
    const value = await askQuestion(
      prompt,
      () => promptTitle(pipeline, prompt, Date.now()),
      source.token,
    );
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
            prompts.map((p) => ({ label: this.headline(p), description: `#${p.runId}`, value: p })),
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
        const args = encodeURIComponent(JSON.stringify([prompt.runId, prompt.promptId]));
        showClosableNotification(
          this.headline(prompt),
          `[Answer](command:${CommandIds.answerPrompt}?${args})`,
          token,
        );
      }
    }
  }

  private headline(prompt: PromptInfo): string {
    return promptHeadline(this.store.run(prompt.runId)?.summary.pipelineName ?? 'Baton', prompt);
  }
}
