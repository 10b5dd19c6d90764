import net from 'node:net';

export const socket = net.connect({ port: 6379, keepAlive: true, keepAliveInitialDelay: 30000 });
socket.on('error', (err) => console.error(err));
