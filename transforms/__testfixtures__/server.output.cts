import net = require('node:net');

const server = net.createServer({ keepAlive: true, keepAliveInitialDelay: 60000 }, (conn) => {
  conn.on('error', () => conn.destroy());
  conn.pipe(conn);
});
server.listen(7070, '127.0.0.1');
