'use strict';
const net = require('node:net');

function openFeed(host, port) {
  const socket = net.connect({ host, port, keepAlive: true, keepAliveInitialDelay: 60000 });
  socket.on('error', (err) => console.error('feed:', err.message));
  return socket;
}

module.exports = { openFeed };
