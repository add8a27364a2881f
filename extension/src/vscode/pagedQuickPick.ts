import * as vscode from 'vscode';
import { trackQuickInput } from './quickInputState';

/** A row of a paged pick: what it shows and the value it stands for. */
export interface PagedRow<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

/** What a paged pick needs. */
export interface PagedPickOptions<T> {
  readonly title: string;
  readonly placeholder: string;
  /** The rows after loading `cursor`'s page (all rows so far: the pick shows exactly these). */
  readonly load: (cursor: string | undefined) => Promise<readonly PagedRow<T>[]>;
  /** The cursor a row loads more with, when it is a "load more" row. */
  readonly moreOf: (value: T) => string | undefined;
}

interface Item<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/**
 * A QuickPick over a list the server gives page by page: accepting a "load
 * more" row fetches the next page and keeps the pick open (busy meanwhile)
 * with the first new row active; accepting any other row resolves its
 * value. Resolves `undefined` when dismissed; a failed load rejects.
 */
export async function pickPaged<T>(options: PagedPickOptions<T>): Promise<T | undefined> {
  const first = await options.load(undefined);
  return new Promise((resolve, reject) => {
    const pick = vscode.window.createQuickPick<Item<T>>();
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    const show = (rows: readonly PagedRow<T>[], activeIndex: number): void => {
      const items = rows.map((row) => toItem(row));
      pick.items = items;
      const active = items[activeIndex];
      if (active) pick.activeItems = [active];
    };
    show(first, 0);
    const untrack = trackQuickInput();
    let result: T | undefined;
    let failure: unknown;
    const disposables: vscode.Disposable[] = [
      pick.onDidAccept(() => {
        const item = pick.activeItems[0];
        if (!item || pick.busy) return;
        const cursor = options.moreOf(item.value);
        if (cursor === undefined) {
          result = item.value;
          pick.hide();
          return;
        }
        const keep = pick.items.length - 1;
        pick.busy = true;
        options.load(cursor).then(
          (rows) => {
            pick.busy = false;
            pick.value = '';
            show(rows, keep);
          },
          (error: unknown) => {
            failure = error;
            pick.hide();
          },
        );
      }),
      pick.onDidHide(() => {
        untrack();
        for (const d of disposables) d.dispose();
        pick.dispose();
        if (failure !== undefined)
          reject(failure instanceof Error ? failure : new Error(String(failure)));
        else resolve(result);
      }),
    ];
    pick.show();
  });
}

function toItem<T>(row: PagedRow<T>): Item<T> {
  const item: Item<T> = { label: row.label, value: row.value };
  if (row.description !== undefined) item.description = row.description;
  if (row.detail !== undefined) item.detail = row.detail;
  return item;
}
