/** The `how` sentence names where keepalive is (or is not) applied, and why a verdict is conditional. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, discoverFiles } from '@ka-codemod/core';
import { analyzeC } from '@ka-codemod/c';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/c/audit/${name}/`, import.meta.url));

async function how(name: string): Promise<Map<string, string>> {
  const root = path.resolve(fixture(name));
  const { files } = await discoverFiles({ paths: [root], cwd: root, extensions: ['.c', '.h'] });
  const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
  return new Map(a.result.sites.map((s) => [`${s.function}`, s.how]));
}

describe('how', () => {
  it('says why a verdict is conditional', async () => {
    const h = await how('conditional');
    expect(h.get('flag_guarded')).toMatch(/only under a configuration flag or argument, in server\.c flag_guarded/);
    expect(h.get('via_flag_helper')).toMatch(/in server\.c maybe_keepalive/);
    expect(h.get('wrapper')).toMatch(/on some paths only \(some callers or call targets set it, others do not\), in server\.c client_with/);
    expect(h.get('family_checked')).toMatch(/^SO_KEEPALIVE is set on this fd in server\.c family_checked$/);
  });

  it('names the helper, the listener, the table, and says when nothing sets keepalive', async () => {
    expect((await how('flow')).get('tcp_open')).toMatch(/keepalive\.c net_set_keepalive/);
    const listener = await how('listener');
    expect(listener.get('accept_inherited')).toMatch(/listening socket \(inherited by accepted connections on Linux\) in server\.c start_inherited/);
    expect(listener.get('start_per_connection')).toMatch(/every connection accepted from it in server\.c serve_per_connection/);
    expect((await how('option-table')).get('open_configured')).toMatch(/only when configured: option names come from a table applied in opts\.c apply_options/);
    expect((await how('partial-parse')).get('after_the_damage')).toMatch(/the project never sets SO_KEEPALIVE/);
    expect((await how('literals')).get('udp')).toMatch(/^not TCP/);
  });

  it('names the join: a field, another object\'s field, an indirect call, the escape point', async () => {
    const holders = await how('holders');
    expect(holders.get('accept_one')).toMatch(/in server\.c tune \(via field `struct conn\.fd`\)$/);
    expect(holders.get('ctx_connect')).toMatch(/through field `struct context\.fd` of another object in lib\.c ctx_enable_keepalive/);
    const indirect = await how('indirect-calls');
    expect(indirect.get('open_prepared')).toMatch(/in conn\.c prepare_ka \(via the indirect call `ops->prepare\(\.\.\.\)`\)$/);
    expect(indirect.get('open_conn')).toMatch(/on some paths only .* in conn\.c tcp_setup \(via the indirect call `ops->setup/);
    const unknown = await how('unknown');
    expect(unknown.get('lib_open')).toMatch(/passed to the indirect call `app_hooks->on_socket\(\.\.\.\)` in conn\.c lib_open \(line 23\), which the engine cannot follow/);
    expect(unknown.get('lib_open_plain')).toMatch(/^no SO_KEEPALIVE on this fd/);
  });
});
