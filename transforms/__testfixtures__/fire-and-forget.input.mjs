import tls from 'node:tls';

export function ping(host) {
  tls.connect(443, host).end('ping\n');
}
