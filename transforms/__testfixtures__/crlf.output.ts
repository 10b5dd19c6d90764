import { createConnection } from 'node:net';

export const conn = createConnection({ port: 5432, keepAlive: true, keepAliveInitialDelay: 60000 });
conn.on('error', (e) => console.warn(e));
