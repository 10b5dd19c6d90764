const net = require('net');

const client = net.connect(9000, 'localhost');
client.write('hello\n');
client.on('data', (chunk) => process.stdout.write(chunk));
