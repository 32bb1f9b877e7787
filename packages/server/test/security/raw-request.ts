import { connect } from 'node:net';

/**
 * Sends raw bytes over a socket and resolves with the status line's code once the server answers,
 * or rejects after `waitMs` (a hang is a failure). The socket is left open after `bytes`, so the
 * body never completes unless `bytes` completes it.
 */
export function rawRequest(
  url: string,
  bytes: string,
  waitMs: number,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${waitMs} ms`));
    }, waitMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length:\s*(\d+)/i.exec(received)?.[1];
      if (end !== -1 && length !== undefined && received.length >= end + 4 + Number(length)) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(received.slice(9, 12)), text: received.slice(end + 4) });
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(bytes);
  });
}
