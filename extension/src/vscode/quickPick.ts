import * as vscode from 'vscode';
import { trackQuickInput } from './quickInputState';

/** One row of a QuickPick that carries the value it stands for. */
export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** Pre-selected in a multi-select pick; the active row in a single pick. */
  readonly picked?: boolean;
  readonly value: T;
}

/** A separator line with a label, between groups of rows. */
export interface PickSeparator {
  readonly separator: string;
}

/** Options shared by `pickOne` and `pickMany`. */
export interface PickOptions {
  readonly title?: string;
  readonly placeholder?: string;
  /** Hides the pick and resolves `undefined` when cancelled (e.g. the question was answered elsewhere). */
  readonly token?: vscode.CancellationToken;
  /** Recomputed every second while the pick is open, e.g. to show the time left. */
  readonly liveTitle?: () => string;
  /** Rows whose value this accepts are information only: accepting one keeps the pick open. */
  readonly isInert?: (value: unknown) => boolean;
}

interface PickItemWithValue<T> extends vscode.QuickPickItem {
  readonly value: T;
}

function isSeparator<T>(item: PickItem<T> | PickSeparator): item is PickSeparator {
  return 'separator' in item;
}

function toQuickPickItem<T>(item: PickItem<T> | PickSeparator): PickItemWithValue<T | undefined> {
  if (isSeparator(item)) {
    return { label: item.separator, kind: vscode.QuickPickItemKind.Separator, value: undefined };
  }
  const row: PickItemWithValue<T | undefined> = { label: item.label, value: item.value };
  if (item.description !== undefined) row.description = item.description;
  if (item.detail !== undefined) row.detail = item.detail;
  if (item.picked !== undefined) row.picked = item.picked;
  return row;
}

function openPick<T, R>(
  items: readonly (PickItem<T> | PickSeparator)[],
  options: PickOptions,
  canSelectMany: boolean,
  accept: (pick: vscode.QuickPick<PickItemWithValue<T | undefined>>) => R,
): Promise<R | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<PickItemWithValue<T | undefined>>();
    const rows = items.map(toQuickPickItem);
    pick.items = rows;
    pick.canSelectMany = canSelectMany;
    pick.matchOnDescription = true;
    if (options.placeholder !== undefined) pick.placeholder = options.placeholder;
    if (canSelectMany) pick.selectedItems = rows.filter((row) => row.picked === true);
    else {
      // Setting no active row would leave Enter with nothing to accept: only
      // override VS Code's default (the first row) when a row is pre-selected.
      const active = rows.filter((row) => row.picked === true).slice(0, 1);
      if (active.length > 0) pick.activeItems = active;
    }
    let result: R | undefined;
    const untrack = trackQuickInput();
    const refreshTitle = (): void => {
      pick.title = options.liveTitle?.() ?? options.title;
    };
    refreshTitle();
    const timer = options.liveTitle ? setInterval(refreshTitle, 1000) : undefined;
    const disposables: vscode.Disposable[] = [
      pick.onDidAccept(() => {
        const row = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!canSelectMany && row && options.isInert?.(row.value) === true) return;
        result = accept(pick);
        pick.hide();
      }),
      pick.onDidHide(() => {
        untrack();
        if (timer) clearInterval(timer);
        for (const d of disposables) d.dispose();
        pick.dispose();
        resolve(result);
      }),
    ];
    if (options.token) disposables.push(options.token.onCancellationRequested(() => pick.hide()));
    // A never-shown input fires no hide event: settle by hand when already cancelled.
    if (options.token?.isCancellationRequested === true) {
      untrack();
      if (timer) clearInterval(timer);
      for (const d of disposables) d.dispose();
      pick.dispose();
      resolve(undefined);
    } else {
      pick.show();
    }
  });
}

/** Shows a single-select QuickPick; resolves the picked item's value, or `undefined` when dismissed or cancelled. */
export function pickOne<T>(
  items: readonly (PickItem<T> | PickSeparator)[],
  options: PickOptions = {},
): Promise<T | undefined> {
  return openPick(items, options, false, (pick) => pick.selectedItems[0]?.value);
}

/** Shows a multi-select QuickPick; resolves the picked values (maybe empty), or `undefined` when dismissed or cancelled. */
export function pickMany<T>(
  items: readonly PickItem<T>[],
  options: PickOptions = {},
): Promise<T[] | undefined> {
  return openPick(items, options, true, (pick) =>
    pick.selectedItems.flatMap((row) => (row.value === undefined ? [] : [row.value])),
  );
}
