/**
 * A minimal Debug Adapter Protocol client for the debug tests: connects to
 * debugpy's port, attaches and says the configuration is done, which lets a
 * script waiting for its client run. What the Python debugger in VS Code
 * sends first, without breakpoints.
 */
import * as net from 'node:net';

/** Attaches to debugpy at 127.0.0.1:`port`; resolves with the socket once the configuration is done. */
export function attachToDebugpy(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let seq = 1;
    let received = '';
    let configured = false;
    const send = (command: string, args: object): void => {
      const body = JSON.stringify({ seq: seq++, type: 'request', command, arguments: args });
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    socket.on('connect', () => {
      send('initialize', { adapterID: 'debugpy', clientID: 'baton-test' });
      // debugpy 1.6 refuses an attach without arguments.
      send('attach', { justMyCode: true });
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (!configured && received.includes('"event": "initialized"')) {
        configured = true;
        send('configurationDone', {});
        resolve(socket);
      }
    });
    socket.on('error', reject);
  });
}
