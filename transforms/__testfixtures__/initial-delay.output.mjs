import net from 'node:net';

export function dial(port) {
  return net.createConnection({ port, host: '127.0.0.1', keepAlive: true, keepAliveInitialDelay: 15000 });
}
