import * as tls from 'node:tls';

export function secureDial(host: string): tls.TLSSocket {
  const socket = tls.connect({ host, port: 443, servername: host });
  socket.setKeepAlive(true, 60000);
  socket.on('error', (err: Error) => {
    console.error(`tls ${host}: ${err.message}`);
  });
  return socket;
}
