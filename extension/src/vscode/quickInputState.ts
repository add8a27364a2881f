/** How many QuickPicks and InputBoxes the extension shows right now. */
let openCount = 0;

/** Records that a QuickPick or InputBox is shown; call the returned function once it hides. */
export function trackQuickInput(): () => void {
  openCount += 1;
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    openCount -= 1;
  };
}

/** Whether one of the extension's QuickPicks or InputBoxes is shown (tests wait on it before driving it). */
export function isQuickInputOpen(): boolean {
  return openCount > 0;
}
