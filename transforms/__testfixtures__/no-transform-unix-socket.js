const net = require('net');

const ipc = net.createConnection({ path: '/run/app.sock' });
ipc.on('error', () => {});
