import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The page of a Baton webview: `media/<name>.js` and `media/<name>.css` from
 * the extension under a strict Content-Security-Policy (`default-src 'none'`,
 * the script allowed by a fresh nonce, styles and images only from the
 * extension), so nothing is fetched from the network. `body` is trusted
 * static markup; everything else is drawn by the script.
 */
export function webviewHtml(
  webview: vscode.Webview,
  media: vscode.Uri,
  name: string,
  title: string,
  body: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, `${name}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, `${name}.css`));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${title}</title>
</head>
<body>
${body}
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
