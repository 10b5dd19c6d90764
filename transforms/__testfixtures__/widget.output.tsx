import { connect } from 'node:net';

export function Status(props: { port: number }) {
  const probe = connect(props.port, '127.0.0.1');
  probe.setKeepAlive(true, 60000);
  probe.once('error', () => probe.destroy());
  return <span>{props.port}</span>;
}
