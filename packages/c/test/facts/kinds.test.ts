import { describe, expect, it } from 'vitest';
import { axisClass, combineTcp, constantAtom, orAtoms, socketTcpClass, textAtoms } from '../../src/facts/kinds.js';

describe('socket kind from constants', () => {
  it('names families, types and protocols', () => {
    expect(constantAtom('AF_INET6')).toBe('inet');
    expect(constantAtom('PF_LOCAL')).toBe('nonInet');
    expect(constantAtom('SOCK_STREAM')).toBe('stream');
    expect(constantAtom('SOCK_DGRAM')).toBe('nonStream');
    expect(constantAtom('SOCK_CLOEXEC')).toBe('flag');
    expect(constantAtom('IPPROTO_UDP')).toBe('nonTcpProto');
    expect(constantAtom('fd')).toBeNull();
  });

  it('reads macro bodies and OR-ed flags', () => {
    const constants = new Map([['MY_TYPE', 'SOCK_STREAM | SOCK_NONBLOCK'], ['MY_FAMILY', '(AF_INET)']]);
    expect(textAtoms('MY_TYPE', constants)).toEqual(['stream']);
    expect(textAtoms('MY_FAMILY', constants)).toEqual(['inet']);
    expect(textAtoms('UNKNOWN_THING', constants)).toEqual(['unknown']);
  });

  it('reads the unknown parts of an OR next to a type as flags', () => {
    const constants = new Map([['SOCK_NOSIGPIPE_OR_ZERO', '0'], ['MY_FLAGS', 'PROJECT_FLAG']]);
    expect(textAtoms('SOCK_STREAM | SOCK_CLOEXEC | SOCK_NOSIGPIPE_OR_ZERO', constants)).toEqual(['stream']);
    expect(textAtoms('MY_FLAGS | SOCK_DGRAM', constants)).toEqual(['nonStream']);
    expect(textAtoms('SOCK_NOSIGPIPE | SOCK_STREAM', constants)).toEqual(['stream']);
    // no part names a type: nothing to read the others against
    expect(orAtoms([['unknown'], ['flag']])).toEqual(['unknown']);
    // a part decided by callers is the type when nothing else names one, a flag word next to a type
    expect(orAtoms([['param:1'], ['flag']])).toEqual(['param:1']);
    expect(orAtoms([['nonStream'], ['param:0']])).toEqual(['nonStream']);
  });

  it('classifies the three arguments', () => {
    expect(socketTcpClass(['inet'], ['stream'], [])).toBe('yes');
    expect(socketTcpClass(['inet'], ['stream'], ['tcpProto'])).toBe('yes');
    expect(socketTcpClass(['inet'], ['stream'], ['nonTcpProto'])).toBe('no');
    expect(socketTcpClass(['nonInet'], ['stream'], [])).toBe('no');
    expect(socketTcpClass(['inet'], ['nonStream'], [])).toBe('no');
    expect(socketTcpClass(['unknown'], ['stream'], [])).toBe('maybe');
    expect(socketTcpClass(['inet'], ['stream', 'nonStream'], [])).toBe('maybe');
    expect(socketTcpClass(['num:2'], ['num:1'], ['num:0'])).toBe('yes');
  });

  it('getaddrinfo with AF_UNSPEC hints yields inet families', () => {
    expect(axisClass(['unspec'], 'family')).toBe('yes');
  });

  it('combines run-time paths', () => {
    expect(combineTcp(['yes', 'yes'])).toBe('yes');
    expect(combineTcp(['no', 'no'])).toBe('no');
    expect(combineTcp(['yes', 'no'])).toBe('maybe');
    expect(combineTcp([])).toBe('maybe');
  });
});
