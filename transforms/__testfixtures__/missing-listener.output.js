const net = require('net');

const client = net.connect(9000, 'localhost');
client.setKeepAlive(true, 60000);
client.on('error', (err) => console.error(err));
client.write('hello\n');
client.on('data', (chunk) => process.stdout.write(chunk));
