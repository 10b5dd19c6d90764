// An HTTP front for chatd: POST a line, the bridge relays it over one TCP connection to chatd.
const http = require('node:http');
const net = require('node:net');

const upstream = net.createConnection({ host: process.env.CHATD_HOST || '127.0.0.1', port: 7000 });
upstream.on('error', (err) => {
  console.error('chatd:', err.message);
  process.exit(1);
});

const server = http.createServer({ keepAlive: true, keepAliveInitialDelay: 30_000 }, (req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    upstream.write(`${body.trim()}\n`);
    res.end('ok\n');
  });
});

server.listen(8080);
