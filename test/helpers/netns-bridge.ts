// Connects a network namespace of the test's own to the host's loopback without listening on any
// other address: TCP inside the namespace is relayed over Unix sockets, which live on the shared
// filesystem and so cross network namespaces.
//
// Run inside the namespace (`ip netns exec NS node netns-bridge.ts ...`), it relays
//   out:PORT=SOCKET  connections to 127.0.0.1:PORT in the namespace → host Unix socket SOCKET
//   in:SOCKET=PORT   connections to Unix socket SOCKET → 127.0.0.1:PORT in the namespace
// and on the host, hostRelay() serves each SOCKET of an "out" rule by connecting to 127.0.0.1:PORT.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

function pipeBoth(from: Socket, to: Socket): void {
  from.pipe(to);
  to.pipe(from);
  const close = () => {
    from.destroy();
    to.destroy();
  };
  from.on('error', close);
  to.on('error', close);
  from.on('close', close);
  to.on('close', close);
}

function relay(listen: (server: Server) => void, connect: () => Socket): Server {
  const server = createServer((incoming) => pipeBoth(incoming, connect()));
  listen(server);
  return server;
}

/** Host side of an "out" rule: the Unix socket SOCKET leads to 127.0.0.1:PORT on the host. */
export function hostRelay(socketPath: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = relay(
      (s) => s.listen(socketPath),
      () => createConnection({ host: '127.0.0.1', port }),
    );
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function main(rules: string[]): void {
  for (const rule of rules) {
    const [direction, spec] = rule.split(':', 2) as [string, string];
    const [left, right] = spec.split('=') as [string, string];
    if (direction === 'out') {
      relay(
        (s) => s.listen(Number(left), '127.0.0.1'),
        () => createConnection({ path: right }),
      );
    } else if (direction === 'in') {
      relay(
        (s) => s.listen(left),
        () => createConnection({ host: '127.0.0.1', port: Number(right) }),
      );
    } else {
      throw new Error(`unknown rule ${rule}`);
    }
  }
  process.stdout.write('bridging\n');
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
