/** How many QuickPicks and InputBoxes the extension shows right now. */
let openCount = 0;
/** How many it has shown since activation (tests tell "asked" from "not asked" by it). */
let shownCount = 0;
/** The InputBoxes shown now, newest last, as tests may fill them. */
const openBoxes: TypableInput[] = [];

/** An InputBox as a test types into it: its value can be set; `password` says whether it masks. */
export interface TypableInput {
  readonly password: boolean;
  setValue(text: string): void;
}

/**
 * Records that a QuickPick (no `box`) or InputBox is shown; call the
 * returned function once it hides.
 */
export function trackQuickInput(box?: TypableInput): () => void {
  openCount += 1;
  shownCount += 1;
  if (box) openBoxes.push(box);
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    openCount -= 1;
    if (box) openBoxes.splice(openBoxes.indexOf(box), 1);
  };
}

/** Whether one of the extension's QuickPicks or InputBoxes is shown (tests wait on it before driving it). */
export function isQuickInputOpen(): boolean {
  return openCount > 0;
}

/** How many QuickPicks and InputBoxes the extension has shown since it was loaded. */
export function quickInputsShown(): number {
  return shownCount;
}

/**
 * The newest InputBox shown now, for tests: the extension host offers no way
 * to type into one, so a test sets its value here and then runs
 * `workbench.action.acceptSelectedQuickOpenItem`, as Enter would.
 */
export function openInputBox(): TypableInput | undefined {
  return openBoxes.at(-1);
}
