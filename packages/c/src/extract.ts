/**
 * One parsed file -> its facts: socket sites, fd flow edges, setsockopt events and calls with
 * the kind of their arguments. Works on tree-sitter nodes over a latin1 string, so every index is
 * a byte offset into the file. The tree is not kept: callers drop it after this returns.
 */
import type { TuningOption } from '@ka-codemod/core';
import {
  ARG, ASSERTION, READINESS_STRUCT, AI_FAMILY_FIELD, HOSTENT_FAMILY_FIELD, AI_PROTOCOL_FIELD, AI_SOCKTYPE_FIELD, INET_FAMILIES, KEEPALIVE_OPTION, KIND_CONSTANT,
  STANDARD_FDS, STATUS_CALLS, TUNING_OPTION_NAMES, isCreationCall, isKnownCall, type KnownCall, UNIX_ADDRESS_STRUCT,
} from './api.js';
import type { CallFact, Carrier, FileFacts, FlowEdge, FunctionFact, KindAtom, OptionEvent, SiteFact } from './facts.js';
import { constantAtom, orAtoms, textAtoms, union } from './kinds.js';
import type { MacroArg, MacroTable } from './macros.js';
import type { LiteNode } from './lite-tree.js';

type Node = LiteNode;

/** One argument of a known call: a node in the source, or fixed text from a macro body. */
type CallArg = { node: Node } | { text: string };

interface Scope {
  name: string | null;
  params: string[];
  locals: Set<string>;
  /** Right-hand sides assigned to each local. */
  assigns: Map<string, Node[]>;
  /** Right-hand sides assigned to each struct field name (`hints.ai_socktype = ...`, `.ai_family = ...`). */
  fieldAssigns: Map<string, Node[]>;
  /** Identifiers that decide a socket's kind here: a condition on them is about the socket, not configuration. */
  kindVars: Set<string>;
  /** Locals holding the result of a socket API call (error checks). */
  statusVars: Set<string>;
  /** Locals holding the result of any call (`rc = prepare(fd); if (rc) goto fail;`). */
  resultVars: Set<string>;
  /** A loop here skips getaddrinfo results that are not AF_INET/AF_INET6. */
  familyFilter: boolean;
  /** Atoms of locals already evaluated (assignments can be many and cyclic). */
  atomCache: Map<string, KindAtom[]>;
  /** Struct type of each parameter and local that has one. */
  types: Map<string, string>;
  /** Kind expressions an assertion pins (`ASSERT(ai->ai_socktype == SOCK_DGRAM)`), by their text. */
  asserted: Map<string, KindAtom[]>;
}

export interface ExtractOptions {
  path: string;
  macros: MacroTable;
  /** `typedef struct tag Name;` -> Name -> tag, so both spellings key the same fields. */
  typedefs?: ReadonlyMap<string, string>;
}

const TUNING_SET = new Set<string>(TUNING_OPTION_NAMES);
const MAX_DEPTH = 6;

export function extractFacts(root: LiteNode, options: ExtractOptions): FileFacts {
  const facts: FileFacts = {
    path: options.path, functions: [], sites: [], edges: [], events: [], calls: [], tableOptions: [], problems: [],
  };
  const x = new Extractor(options, facts);
  x.visitTopLevel(root);
  return facts;
}

class Extractor {
  private readonly tableOptions = new Set<string>();
  private readonly topScope: Scope = emptyScope(null, []);
  /** Struct types of file-level variables (`static struct server srv;`). */
  private readonly globalTypes = new Map<string, string>();

  constructor(
    private readonly options: ExtractOptions,
    private readonly facts: FileFacts,
  ) {}

  visitTopLevel(root: Node): void {
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'function_definition' && !isMisparsedFunction(node)) {
        this.visitFunction(node);
        continue;
      }
      if (node.type === 'identifier' && (node.text === KEEPALIVE_OPTION || TUNING_SET.has(node.text))) this.noteTableOption(node);
      // top-level declarations and code in ERROR regions are analysed as code outside functions
      if (node.type === 'call_expression' || isValueNode(node)) this.visitExpressionNode(node, this.topScope);
      if (node.type === 'init_declarator') this.collectDeclaration(node, this.topScope, false);
      if (node.type === 'declaration' && node.parent && !node.parent.type.startsWith('compound')) {
        const type = structTypeName(node.childForFieldName('type'), this.options.typedefs);
        if (type) for (const d of node.namedChildren) { const n = declaratorName(d); if (n) this.globalTypes.set(n, type); }
      }
      for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
    }
    this.facts.tableOptions = [...this.tableOptions];
  }

  /** An option name written in data (an initializer), not in a setsockopt call: a table of configurable options. */
  private noteTableOption(node: Node): void {
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'call_expression' || p.type === 'function_definition') return;
      if (p.type === 'initializer_list' || p.type === 'init_declarator') {
        this.tableOptions.add(node.text);
        return;
      }
    }
  }

  private visitFunction(fn: Node): void {
    const declarator = fn.childForFieldName('declarator');
    const fnDecl = declarator ? findFunctionDeclarator(declarator) : null;
    const name = fnDecl ? declaratorName(fnDecl.childForFieldName('declarator')) : null;
    const params: string[] = [];
    const paramTypes = new Map<string, string>();
    let fdParam: number | undefined;
    const paramList = fnDecl?.childForFieldName('parameters');
    if (paramList) {
      for (const p of paramList.namedChildren) {
        if (p.type !== 'parameter_declaration') continue;
        const paramName = declaratorName(p.childForFieldName('declarator')) ?? `#${params.length}`;
        if (fdParam === undefined && isDescriptorParam(p)) fdParam = params.length;
        params.push(paramName);
        const type = structTypeName(p.childForFieldName('type'), this.options.typedefs);
        if (type) paramTypes.set(paramName, type);
      }
    }
    if (params.length === 1 && paramList?.namedChildren[0]?.text === 'void') params.length = 0;
    const scope = emptyScope(name, params);
    for (const [n, t] of paramTypes) scope.types.set(n, t);
    if (name) {
      this.facts.functions.push({
        name, path: this.options.path, line: fn.startPosition.row + 1, arity: params.length,
        returns: returnKind(fn.childForFieldName('type')?.text ?? '', declarator?.type === 'pointer_declarator'),
        ...(fdParam !== undefined ? { fdParam } : {}),
      });
    }
    const body = fn.childForFieldName('body');
    if (!body) return;
    const nodes = collectNodes(body);
    for (const node of nodes) this.collectScopeFacts(node, scope);
    for (const node of nodes) {
      if (node.type === 'identifier' && (node.text === KEEPALIVE_OPTION || TUNING_SET.has(node.text))) this.noteTableOption(node);
      if (node.type === 'call_expression' || isValueNode(node)) this.visitExpressionNode(node, scope);
    }
  }

  /** First pass over a body: locals, what is assigned to them, hints fields, kind variables, family filters. */
  private collectScopeFacts(node: Node, scope: Scope): void {
    switch (node.type) {
      case 'call_expression': {
        const name = calleeName(node);
        const check = node.childForFieldName('arguments')?.namedChildren[0];
        if (name && check && ASSERTION.test(name)) collectAssertedKinds(check, scope.asserted);
        break;
      }
      case 'init_declarator':
        this.collectDeclaration(node, scope, true);
        break;
      case 'declaration': {
        const type = structTypeName(node.childForFieldName('type'), this.options.typedefs);
        for (const d of node.namedChildren) {
          if (d.type === 'identifier' || d.type === 'array_declarator' || d.type === 'pointer_declarator' || d.type === 'init_declarator') {
            const n = declaratorName(d);
            if (n && d.type !== 'init_declarator') scope.locals.add(n);
            if (n && type) scope.types.set(n, type);
          }
        }
        break;
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right || node.childForFieldName('operator')?.text !== '=') break;
        const target = stripWrappers(left);
        if (target.type === 'identifier') push(scope.assigns, target.text, right);
        else if (target.type === 'field_expression') {
          const field = target.childForFieldName('field')?.text;
          if (field) {
            push(scope.fieldAssigns, field, right);
            if (field === AI_FAMILY_FIELD || field === AI_SOCKTYPE_FIELD) addIdentifiers(right, scope.kindVars);
          }
        }
        const value = stripWrappers(right);
        if (target.type === 'identifier' && value.type === 'call_expression') {
          scope.resultVars.add(target.text);
          if (STATUS_CALLS.includes(calleeName(value) ?? '')) scope.statusVars.add(target.text);
        }
        break;
      }
      case 'initializer_pair': {
        const designator = node.childForFieldName('designator') ?? node.namedChildren[0];
        const value = node.childForFieldName('value');
        const field = designator?.type === 'field_designator' ? designator.text.replace(/^\./, '') : null;
        if (field && value) {
          push(scope.fieldAssigns, field, value);
          if (field === AI_FAMILY_FIELD || field === AI_SOCKTYPE_FIELD) addIdentifiers(value, scope.kindVars);
        }
        break;
      }
      case 'if_statement': {
        // `if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;`: a loop that skips
        // every result that is not inet
        const condition = node.childForFieldName('condition')?.text ?? '';
        const consequence = node.childForFieldName('consequence')?.text ?? '';
        if (condition.includes(AI_FAMILY_FIELD) && condition.includes('!=') && INET_FAMILIES.some((f) => condition.includes(f)) && /\b(continue|close\w*|\w*CLOSE\w*)\b/.test(consequence)) {
          scope.familyFilter = true;
        }
        break;
      }
      case 'binary_expression': {
        if (/\b(AF|PF)_[A-Z0-9]+\b/.test(node.text)) addIdentifiers(node, scope.kindVars);
        break;
      }
      case 'call_expression': {
        const name = calleeName(node);
        if (name && this.knownTarget(name)?.target === 'socket') {
          for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) addIdentifiers(a, scope.kindVars);
        }
        break;
      }
    }
  }

  private collectDeclaration(node: Node, scope: Scope, local: boolean): void {
    const name = declaratorName(node.childForFieldName('declarator'));
    if (!name) return;
    if (local) scope.locals.add(name);
    const value = node.childForFieldName('value');
    if (value) {
      push(scope.assigns, name, value);
      const v = stripWrappers(value);
      if (v.type === 'call_expression') {
        scope.resultVars.add(name);
        if (STATUS_CALLS.includes(calleeName(v) ?? '')) scope.statusVars.add(name);
      }
    }
  }

  private knownTarget(name: string): { target: KnownCall; args: MacroArg[] | null; macro?: string } | null {
    if (isKnownCall(name)) return { target: name, args: null };
    const alias = this.options.macros.aliases.get(name);
    return alias ? { target: alias.target, args: alias.args, macro: name } : null;
  }

  /** Second pass: sites, events, calls and flow edges. */
  private visitExpressionNode(node: Node, scope: Scope): void {
    if (node.type === 'call_expression') {
      this.visitCall(node, scope);
      return;
    }
    // a value (identifier, field, element) that flows somewhere
    const from = this.carrierOf(node, scope);
    if (!from) return;
    const to = this.destinationOf(node, scope);
    if (to && to !== from) this.edge(from, to, 'alias');
  }

  private visitCall(call: Node, scope: Scope): void {
    const name = calleeName(call);
    if (!name) return;
    const argNodes = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n) => n.type !== 'comment');
    const known = this.knownTarget(name);
    if (known) {
      const args: CallArg[] = known.args === null
        ? argNodes.map((node) => ({ node }))
        : known.args.map((a) => ('param' in a ? (argNodes[a.param] ? { node: argNodes[a.param]! } : { text: '' }) : { text: a.text }));
      if (isCreationCall(known.target)) this.visitSite(call, known.target, args, scope, known.macro);
      else if (known.target === 'setsockopt') this.visitSetsockopt(call, args, scope);
      else if (known.target === 'dup2' || known.target === 'dup3') {
        const from = this.argCarrier(args[ARG.dup2.from], scope);
        const to = this.argCarrier(args[ARG.dup2.to], scope);
        if (from && to) this.edge(from, to, 'alias');
      }
      // a macro name that is also a project function (a logging wrapper in another build) is both
      if (!known.macro) return;
    }
    // a call of a project (or unknown) function: its return value and out-parameters flow back here
    const dest = this.destinationOf(call, scope) ?? 'X';
    this.edge(`R:${name}`, dest, 'context');
    argNodes.forEach((arg, i) => {
      // what the callee stores through a pointer or array parameter (`*out = fd`, `fds[i] = fd`)
      // lands in the caller's variable
      const inner = stripWrappers(arg);
      let target: Carrier | null = null;
      if (inner.type === 'pointer_expression' && inner.childForFieldName('operator')?.text === '&') {
        target = this.carrierOf(inner.childForFieldName('argument')!, scope);
      } else if (inner.type === 'identifier' || inner.type === 'field_expression') {
        target = this.carrierOf(inner, scope);
      }
      // the caller's own pointer or array parameter passed on (`listen_all(int *socks)` calling
      // `open_one(&socks[n])`): what the callee stores there is the caller's out-parameter
      if (target?.startsWith('P:')) target = `O:${target.slice(2)}`;
      if (target) this.edge(`O:${name}:${i}`, target, 'context');
    });
    const fact: CallFact = {
      callee: name, caller: scope.name, path: this.options.path, line: call.startPosition.row + 1,
      args: argNodes.map((a) => this.atoms(a, scope, 0)),
    };
    // event-loop registrations (`event_assign(ev, base, fd, EV_READ, on_accept, arg)`): the project
    // decides later which bare identifiers are functions that will be called back with the fd
    const names = argNodes.map((a) => {
      const inner = stripWrappers(a);
      return inner.type === 'identifier' && !scope.locals.has(inner.text) && !scope.params.includes(inner.text) ? inner.text : null;
    });
    // a callback the caller itself received (`aeCreateFileEvent(el, sfd->fd[j], AE_READABLE,
    // handler, sfd)` inside a function taking `handler`): its callers decide which function it is
    const callbackParams = argNodes.map((a) => {
      const inner = stripWrappers(a);
      const index = inner.type === 'identifier' ? scope.params.indexOf(inner.text) : -1;
      return index >= 0 ? index : null;
    });
    const forwardsCallback = callbackParams.some((i) => i !== null);
    if ((names.some((n) => n !== null) || forwardsCallback) && argNodes.length > 1) {
      fact.argNames = names;
      if (forwardsCallback) fact.argParams = callbackParams;
      // an fd handed over by address next to its callback (`new_listener(&fd, 1, ..., on_accept)`)
      // is the same socket the callback is later given
      fact.argCarriers = argNodes.map((a) => {
        const inner = stripWrappers(a);
        // a struct handed to the callback as its context (`chansess`, `&ev`) is not the descriptor
        if (inner.type === 'identifier' && this.isContextStruct(inner, scope)) return null;
        if (inner.type === 'pointer_expression' && inner.childForFieldName('operator')?.text === '&') {
          const target = stripWrappers(inner.childForFieldName('argument')!);
          if (target.type === 'identifier' && this.isContextStruct(target, scope)) return null;
          return this.carrierOf(target, scope);
        }
        return this.carrierOf(a, scope);
      });
      // `optional_setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1)`: option names handed to a wrapper
      const options = names.map((n) => (n ? this.optionName(n, 0) : 'other'));
      if (options.some((o) => o !== 'other')) {
        fact.argOptions = options.map((o) => (o === 'other' ? null : o));
        const fd = fact.argCarriers.find((c) => c !== null) ?? '';
        fact.guarded = this.isConfigGuarded(call, scope, fd);
      }
    }
    this.facts.calls.push(fact);
  }

  /** A call seen twice (two views of the same `#if` code) is one site: the first view wins. */
  private readonly siteIds = new Set<string>();

  private visitSite(call: Node, kind: 'socket' | 'accept' | 'accept4', args: CallArg[], scope: Scope, macro?: string): void {
    if (this.siteIds.has(`${this.options.path}:${call.startIndex}`)) return;
    this.siteIds.add(`${this.options.path}:${call.startIndex}`);
    const nameNode = call.childForFieldName('function') ?? call;
    const notes = new Set<string>();
    const site: SiteFact = {
      id: `${this.options.path}:${call.startIndex}`,
      path: this.options.path,
      line: nameNode.startPosition.row + 1,
      column: nameNode.startPosition.column + 1,
      endLine: nameNode.endPosition.row + 1,
      endColumn: nameNode.endPosition.column + 1,
      call: kind,
      function: scope.name,
      callStartByte: call.startIndex,
      callEndByte: call.endIndex,
      family: [], type: [], protocol: [], kindNotes: [], dests: [],
    };
    if (macro) site.viaMacro = macro;
    if (kind === 'socket') {
      site.family = this.argAtoms(args[ARG.socket.family], scope, notes);
      site.type = this.argAtoms(args[ARG.socket.type], scope, notes);
      site.protocol = args[ARG.socket.protocol] ? this.argAtoms(args[ARG.socket.protocol], scope, notes) : [];
    } else {
      const listener = this.argCarrier(args[ARG.accept.listener], scope);
      if (listener) site.listener = listener;
      if (this.isUnixPeerBuffer(args[ARG.accept.peerAddress], args[ARG.accept.peerAddressLength], scope)) site.unixPeer = true;
    }
    site.kindNotes = [...notes];
    const dest = this.destinationOf(call, scope);
    if (dest) site.dests.push(dest);
    this.facts.sites.push(site);
  }

  private visitSetsockopt(call: Node, args: CallArg[], scope: Scope): void {
    const carrier = this.argCarrier(args[ARG.setsockopt.fd], scope);
    if (!carrier) return;
    const option = this.optionOf(args[ARG.setsockopt.option], scope, 0);
    if (option === 'other') return;
    const value = this.valueOf(args[ARG.setsockopt.value], scope);
    if (option === 'keepalive' && value === 0) return; // explicitly switched off
    const event: OptionEvent = {
      carrier,
      kind: option === 'keepalive' || option === 'dynamic' ? option : 'tuning',
      conditional: this.isConfigGuarded(call, scope, carrier),
      path: this.options.path,
      function: scope.name,
      line: call.startPosition.row + 1,
    };
    if (option !== 'keepalive' && option !== 'dynamic') event.option = option;
    if (value !== undefined) event.value = value;
    const optionArg = args[ARG.setsockopt.option];
    if (option === 'dynamic' && optionArg && 'node' in optionArg) {
      const bare = stripWrappers(optionArg.node);
      const index = bare.type === 'identifier' ? scope.params.indexOf(bare.text) : -1;
      if (index >= 0) event.optionParam = index;
    }
    this.facts.events.push(event);
  }

  /** What option a setsockopt call sets: keepalive, a tuning option, `dynamic` (from data), or something else. */
  private optionOf(arg: CallArg | undefined, scope: Scope, depth: number): 'keepalive' | TuningOption | 'dynamic' | 'other' {
    if (!arg || depth > MAX_DEPTH) return 'other';
    if ('text' in arg) return this.optionName(arg.text.trim(), depth);
    const node = stripWrappers(arg.node);
    if (node.type === 'identifier') {
      const name = node.text;
      const index = scope.params.indexOf(name);
      if (index >= 0) return 'dynamic';
      const assigned = scope.assigns.get(name);
      if (assigned && scope.locals.has(name)) {
        const found = assigned.map((v) => this.optionOf({ node: v }, scope, depth + 1));
        return found.find((f) => f !== 'other') ?? 'other';
      }
      return this.optionName(name, depth);
    }
    if (node.type === 'field_expression' || node.type === 'subscript_expression') return 'dynamic';
    if (node.type === 'conditional_expression') {
      const a = this.optionOf({ node: node.childForFieldName('consequence')! }, scope, depth + 1);
      return a !== 'other' ? a : this.optionOf({ node: node.childForFieldName('alternative')! }, scope, depth + 1);
    }
    return 'other';
  }

  private optionName(name: string, depth: number): 'keepalive' | TuningOption | 'other' {
    if (name === KEEPALIVE_OPTION) return 'keepalive';
    if (TUNING_SET.has(name)) return name as TuningOption;
    const body = this.options.macros.constants.get(name);
    if (body !== undefined && depth < MAX_DEPTH && /^[A-Za-z_]\w*$/.test(body)) return this.optionName(body, depth + 1);
    return 'other';
  }

  /** The int behind `&on` / `(void *)&idle` when it is a literal. */
  private valueOf(arg: CallArg | undefined, scope: Scope): number | undefined {
    if (!arg || 'text' in arg) return undefined;
    const node = stripWrappers(arg.node);
    if (node.type !== 'pointer_expression') return undefined;
    const target = stripWrappers(node.childForFieldName('argument')!);
    if (target.type !== 'identifier') return undefined;
    const values = (scope.assigns.get(target.text) ?? []).map((v) => literalNumber(v, this.options.macros.constants));
    if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
    const distinct = new Set(values);
    return distinct.size === 1 ? values[0] : undefined;
  }

  /**
   * Is the call guarded by a configuration flag or argument (`if (keepalive)`, `cfg->ka && setsockopt(...)`)?
   * Conditions about the socket itself (its family, its type, the fd's validity, a previous call's status)
   * are not configuration.
   */
  private isConfigGuarded(call: Node, scope: Scope, carrier: Carrier): boolean {
    const fdName = carrier.split(':').pop() ?? '';
    let cur: Node = call;
    for (let p = call.parent; p && p.type !== 'function_definition'; cur = p, p = p.parent) {
      let condition: Node | null = null;
      if (p.type === 'if_statement' && !sameNode(p.childForFieldName('condition'), cur)) {
        // `if (rejected) { close(fd); } else { setsockopt(...) }`: the other branch abandons the
        // connection, so the condition decides whether there is a connection, not its keepalive
        const consequence = p.childForFieldName('consequence');
        const other = sameNode(consequence, cur) ? p.childForFieldName('alternative') : consequence;
        if (!(other && ABANDONS.test(other.text))) condition = p.childForFieldName('condition');
      }
      else if (p.type === 'binary_expression' && ['&&', '||'].includes(p.childForFieldName('operator')?.text ?? '') && sameNode(p.childForFieldName('right'), cur)) {
        condition = p.childForFieldName('left');
      } else if (p.type === 'conditional_expression' && !sameNode(p.childForFieldName('condition'), cur)) condition = p.childForFieldName('condition');
      else if (p.type === 'case_statement') {
        const sw = p.parent?.parent;
        if (sw?.type === 'switch_statement') condition = sw.childForFieldName('condition');
      }
      if (condition && this.isConfigCondition(condition, scope, fdName)) return true;
      if (p.type === 'compound_statement' && this.exitsEarlyOnConfig(p, cur, scope, fdName)) return true;
    }
    return false;
  }

  /**
   * `if (!cfg->keepalive) return fd;` before the call, in the same block: keepalive is set only
   * when the flag lets the code get there. Error exits (`if (rc) goto fail;` after a call,
   * `if (fd < 0) return -1;`) are not configuration.
   */
  private exitsEarlyOnConfig(block: Node, child: Node, scope: Scope, fdName: string): boolean {
    // An exit before the socket exists decides whether there is a socket, not its keepalive
    // (`if (getaddrinfo(host, ...) != 0) return -1;` ahead of the socket() loop).
    const created = (scope.assigns.get(fdName) ?? []).filter((n) => stripWrappers(n).type === 'call_expression').map((n) => n.startIndex);
    const createdAt = created.length ? Math.min(...created) : -1;
    for (const statement of block.namedChildren) {
      if (statement.startIndex >= child.startIndex) break;
      if (statement.endIndex <= createdAt) continue;
      if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) continue;
      const consequence = statement.childForFieldName('consequence');
      if (!consequence || !/\b(?:return|goto|break|continue)\b/.test(consequence.text)) continue;
      const condition = statement.childForFieldName('condition');
      if (!condition) continue;
      // `if ((c->fd = accept(...)) == INVALID) return;`: checking what was just assigned
      if (/(?:^|[^=!<>])=(?!=)/.test(condition.text)) continue;
      const ids = new Set<string>();
      addIdentifiers(condition, ids, true);
      if ([...ids].some((id) => scope.resultVars.has(id))) continue;
      if (this.isConfigCondition(condition, scope, fdName)) return true;
    }
    return false;
  }

  private isConfigCondition(condition: Node, scope: Scope, fdName: string): boolean {
    const c = stripWrappers(condition);
    // `family != AF_UNIX && cfg->keepalives`: each operand is judged on its own
    if (c.type === 'binary_expression' && ['&&', '||'].includes(c.childForFieldName('operator')?.text ?? '')) {
      return this.isConfigCondition(c.childForFieldName('left')!, scope, fdName) || this.isConfigCondition(c.childForFieldName('right')!, scope, fdName);
    }
    if (/\b(AF|PF|SOCK)_[A-Z0-9_]+\b/.test(condition.text)) return false;
    if (isValidityCheck(condition)) return false;
    const ids = new Set<string>();
    addIdentifiers(condition, ids, true);
    for (const id of ids) {
      if (id === fdName || KIND_CONSTANT.test(id) || /^[A-Z][A-Z0-9_]*$/.test(id)) continue;
      if (scope.kindVars.has(id) || scope.statusVars.has(id) || id === 'errno' || id === 'NULL') continue;
      return true;
    }
    return false;
  }

  private argCarrier(arg: CallArg | undefined, scope: Scope): Carrier | null {
    if (!arg) return null;
    if ('text' in arg) {
      const t = arg.text.trim();
      if (/^\d+$/.test(t)) return `D:${t}`;
      if (t in STANDARD_FDS) return `D:${STANDARD_FDS[t]}`;
      return null;
    }
    const node = stripWrappers(arg.node);
    if (node.type === 'number_literal' && /^\d+$/.test(node.text)) return `D:${node.text}`;
    return this.carrierOf(node, scope);
  }

  private argAtoms(arg: CallArg | undefined, scope: Scope, notes: Set<string>): KindAtom[] {
    if (!arg) return ['unknown'];
    if ('text' in arg) return textAtoms(arg.text, this.options.macros.constants);
    return this.atoms(arg.node, scope, 0, notes);
  }

  /** What an expression says about a socket's kind (see KindAtom). */
  private atoms(node: Node, scope: Scope, depth: number, notes?: Set<string>): KindAtom[] {
    if (depth > MAX_DEPTH) return ['unknown'];
    node = stripWrappers(node);
    const pinned = scope.asserted.size > 0 ? scope.asserted.get(expressionKey(node.text)) : undefined;
    if (pinned) return pinned;
    switch (node.type) {
      case 'identifier': {
        const name = node.text;
        const constant = constantAtom(name);
        if (constant) return [constant];
        const index = scope.params.indexOf(name);
        if (index >= 0 && !scope.assigns.has(name)) return [`param:${index}`];
        const assigned = scope.assigns.get(name);
        if (assigned && (scope.locals.has(name) || index >= 0)) {
          const cached = scope.atomCache.get(name);
          if (cached) return cached;
          scope.atomCache.set(name, ['unknown']); // a cycle (`a = b; b = a`) says nothing
          const lists = assigned.map((v) => this.atoms(v, scope, depth + 1, notes));
          if (index >= 0) lists.push([`param:${index}`]);
          const result = union(lists);
          scope.atomCache.set(name, result);
          return result;
        }
        const body = this.options.macros.constants.get(name);
        if (body !== undefined) return textAtoms(body, this.options.macros.constants);
        return ['unknown'];
      }
      case 'number_literal':
        return /^\d+$/.test(node.text) ? [`num:${Number(node.text)}`] : ['unknown'];
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.text !== '|') return ['unknown'];
        return orAtoms([
          this.atoms(node.childForFieldName('left')!, scope, depth + 1, notes),
          this.atoms(node.childForFieldName('right')!, scope, depth + 1, notes),
        ]);
      }
      case 'subscript_expression':
        // `family[i]` with `int family[] = { AF_INET, AF_INET6 }`: any of the elements
        return this.atoms(node.childForFieldName('argument')!, scope, depth + 1, notes);
      case 'initializer_list':
        return union(node.namedChildren.filter((c) => c.type !== 'comment').map((c) => this.atoms(c, scope, depth + 1, notes)));
      case 'conditional_expression':
        return union([
          this.atoms(node.childForFieldName('consequence')!, scope, depth + 1, notes),
          this.atoms(node.childForFieldName('alternative')!, scope, depth + 1, notes),
        ]);
      case 'field_expression': {
        const field = node.childForFieldName('field')?.text ?? '';
        const cacheKey = `.${field}`;
        const cached = scope.atomCache.get(cacheKey);
        if (cached) return cached;
        scope.atomCache.set(cacheKey, ['unknown']);
        const result = this.fieldAtoms(field, scope, depth, notes);
        scope.atomCache.set(cacheKey, result);
        return result;
      }
      default:
        return ['unknown'];
    }
  }

  /** A field read: getaddrinfo results take family and type from the hints; other fields from what is stored in them here. */
  private fieldAtoms(field: string, scope: Scope, depth: number, notes?: Set<string>): KindAtom[] {
    {
      {
        const hints = scope.fieldAssigns.get(field) ?? [];
        if (field === HOSTENT_FAMILY_FIELD) {
          notes?.add('resolver result');
          return ['inet'];
        }
        if (field === AI_FAMILY_FIELD) {
          notes?.add('getaddrinfo result');
          if (scope.familyFilter) notes?.add('non-inet families skipped');
          // getaddrinfo only ever returns AF_INET/AF_INET6 results; hints can only narrow that
          // (a hint that is a parameter is left to the callers: a project's own resolver
          // wrapper may serve AF_UNIX too)
          const hinted = union(hints.map((h) => this.atoms(h, scope, depth + 1, notes)));
          if (scope.familyFilter || hints.length === 0) return ['inet'];
          if (hinted.some((a) => a.startsWith('param:'))) return hinted.map((a) => (a === 'unspec' || a === 'unknown' ? 'inet' : a));
          if (!hinted.every((a) => a === 'nonInet')) return ['inet'];
          return hinted;
        }
        if (field === AI_SOCKTYPE_FIELD || field === AI_PROTOCOL_FIELD) {
          notes?.add('getaddrinfo result');
          if (hints.length === 0) return field === AI_PROTOCOL_FIELD ? [] : ['unknown'];
          return union(hints.map((h) => this.atoms(h, scope, depth + 1, notes)));
        }
        if (hints.length > 0) return union(hints.map((h) => this.atoms(h, scope, depth + 1, notes)));
        return ['unknown'];
      }
    }
  }

  /** The carrier a value expression reads or an assignment target writes. */
  private carrierOf(node: Node, scope: Scope): Carrier | null {
    node = stripWrappers(node);
    switch (node.type) {
      case 'identifier': {
        const name = node.text;
        const index = scope.params.indexOf(name);
        if (index >= 0) return `P:${scope.name}:${index}`;
        if (scope.name && scope.locals.has(name)) return `L:${scope.name}:${name}`;
        if (name in STANDARD_FDS) return `D:${STANDARD_FDS[name]}`;
        if (KIND_CONSTANT.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) return null;
        return `G:${name}`;
      }
      case 'field_expression': {
        const field = node.childForFieldName('field')?.text;
        if (!field) return null;
        const type = this.typeOf(node.childForFieldName('argument')!, scope);
        if (type && READINESS_STRUCT.test(type) && scope.name) return `L:${scope.name}:${type}.${field}`;
        return type ? `F:${type}.${field}` : `F:${field}`;
      }
      case 'subscript_expression':
        return this.carrierOf(node.childForFieldName('argument')!, scope);
      case 'pointer_expression': {
        if (node.childForFieldName('operator')?.text !== '*') return null;
        const arg = stripWrappers(node.childForFieldName('argument')!);
        const index = arg.type === 'identifier' ? scope.params.indexOf(arg.text) : -1;
        if (index >= 0) return `O:${scope.name}:${index}`;
        return this.carrierOf(arg, scope);
      }
      case 'assignment_expression':
        return this.carrierOf(node.childForFieldName('left')!, scope);
      default:
        return null;
    }
  }

  /** Where an assignment stores: like carrierOf, but an element of an array parameter is an out-parameter. */
  private storeCarrierOf(left: Node, scope: Scope): Carrier | null {
    const target = stripWrappers(left);
    if (target.type === 'subscript_expression') {
      const array = stripWrappers(target.childForFieldName('argument')!);
      const index = array.type === 'identifier' ? scope.params.indexOf(array.text) : -1;
      if (index >= 0) return `O:${scope.name}:${index}`;
    }
    return this.carrierOf(left, scope);
  }

  /** A variable of a struct (or other non-descriptor typedef) type: a callback's context, never its fd. */
  private isContextStruct(node: Node, scope: Scope): boolean {
    const type = this.typeOf(node, scope);
    return type !== null && !DESCRIPTOR_TYPE.test(type);
  }

  /**
   * accept(fd, (struct sockaddr *)&sun, &len) with `struct sockaddr_un sun`, or with `len` only ever
   * `sizeof(struct sockaddr_un)`: code written for a unix-domain listener (an inet peer would not fit
   * the intent, a generic buffer is `sockaddr_storage`).
   */
  private isUnixPeerBuffer(address: CallArg | undefined, length: CallArg | undefined, scope: Scope): boolean {
    const addressed = (arg: CallArg | undefined): string | null => {
      if (!arg || !('node' in arg)) return null;
      const n = stripWrappers(arg.node);
      if (n.type !== 'pointer_expression' || n.childForFieldName('operator')?.text !== '&') return null;
      const target = stripWrappers(n.childForFieldName('argument')!);
      return target.type === 'identifier' ? target.text : null;
    };
    const buffer = addressed(address);
    if (buffer && scope.types.get(buffer) === UNIX_ADDRESS_STRUCT) return true;
    const len = addressed(length);
    const sizes = len ? scope.assigns.get(len) ?? [] : [];
    return sizes.length > 0 && sizes.every((v) => this.isUnixAddressSize(v, scope));
  }

  /** `sizeof(struct sockaddr_un)`, or `sizeof x` / `sizeof(x)` of a `struct sockaddr_un` variable. */
  private isUnixAddressSize(value: Node, scope: Scope): boolean {
    const m = /^sizeof\s*\(?\s*(?:struct\s+(\w+)|(\w+))\s*\)?$/.exec(stripWrappers(value).text);
    if (!m) return false;
    const type = m[1] !== undefined ? this.options.typedefs?.get(m[1]) ?? m[1] : scope.types.get(m[2]!) ?? this.options.typedefs?.get(m[2]!);
    return type === UNIX_ADDRESS_STRUCT;
  }

  /** The struct type of a variable expression (`c`, `*c`, `conns[i]`), when declared in sight. */
  private typeOf(node: Node, scope: Scope): string | null {
    const n = stripWrappers(node);
    if (n.type === 'identifier') return scope.types.get(n.text) ?? (scope.locals.has(n.text) || scope.params.includes(n.text) ? null : this.globalTypes.get(n.text) ?? null);
    if (n.type === 'subscript_expression') return this.typeOf(n.childForFieldName('argument')!, scope);
    if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '*') return this.typeOf(n.childForFieldName('argument')!, scope);
    return null;
  }

  /** Where the value of an expression goes: an assigned variable, a return, a callee's parameter. */
  private destinationOf(node: Node, scope: Scope): Carrier | null {
    let cur = node;
    for (let p = node.parent; p; cur = p, p = p.parent) {
      switch (p.type) {
        case 'parenthesized_expression':
        case 'cast_expression':
          continue;
        case 'conditional_expression':
          if (sameNode(p.childForFieldName('condition'), cur)) return null;
          continue;
        case 'comma_expression':
          if (sameNode(p.childForFieldName('right'), cur)) continue;
          return null;
        case 'assignment_expression':
          if (sameNode(p.childForFieldName('right'), cur) && p.childForFieldName('operator')?.text === '=') {
            return this.storeCarrierOf(p.childForFieldName('left')!, scope);
          }
          return null;
        case 'init_declarator': {
          if (!sameNode(p.childForFieldName('value'), cur)) return null;
          const name = declaratorName(p.childForFieldName('declarator'));
          if (!name) return null;
          return scope.name ? `L:${scope.name}:${name}` : `G:${name}`;
        }
        case 'return_statement':
          return scope.name ? `R:${scope.name}` : null;
        case 'argument_list': {
          const call = p.parent;
          const callee = call?.type === 'call_expression' ? calleeName(call) : null;
          if (!callee || this.knownTarget(callee)) return null;
          const index = p.namedChildren.filter((n) => n.type !== 'comment').findIndex((n) => sameNode(n, cur));
          return index >= 0 ? `P:${callee}:${index}` : null;
        }
        case 'initializer_pair': {
          const designator = p.childForFieldName('designator') ?? p.namedChildren[0];
          return designator?.type === 'field_designator' ? `F:${designator.text.replace(/^\./, '')}` : null;
        }
        default:
          return null;
      }
    }
    return null;
  }

  private edge(from: Carrier, to: Carrier, kind: FlowEdge['kind']): void {
    this.facts.edges.push({ from, to, kind });
  }
}

/**
 * `fd >= 0`, `s != -1`, `sock == INVALID_SOCKET`: a descriptor or status validity check, not a
 * configuration switch (those are tested for truth: `if (keepalive)`, `cfg->ka && ...`).
 */
export function isValidityCheck(condition: Node): boolean {
  const c = stripWrappers(condition);
  if (c.type === 'binary_expression' && ['&&', '||'].includes(c.childForFieldName('operator')?.text ?? '')) {
    return isValidityCheck(c.childForFieldName('left')!) && isValidityCheck(c.childForFieldName('right')!);
  }
  if (c.type !== 'binary_expression') return false;
  const op = c.childForFieldName('operator')?.text ?? '';
  const right = stripWrappers(c.childForFieldName('right')!).text.replace(/\s+/g, '');
  const left = stripWrappers(c.childForFieldName('left')!).text.replace(/\s+/g, '');
  const invalid = (t: string) => t === '-1' || t === 'NULL' || /^[A-Z0-9_]*(?:INVALID|ERROR|FAIL)[A-Z0-9_]*$/.test(t);
  if (['<', '<=', '>', '>='].includes(op)) return /^-?\d+$/.test(right) || /^-?\d+$/.test(left);
  if (op === '==' || op === '!=') return invalid(right) || invalid(left);
  return false;
}

/** Code that gives up on the connection: closing it, leaving the function or the loop iteration. */
const ABANDONS = /\b(?:close\w*|\w*_close|closesocket|return|goto|continue|break|exit|_exit|abort)\b/;

/** `ASSERT(ai->ai_socktype == SOCK_STREAM && x)`: each `expr == KIND_CONSTANT` it requires, by the expression's text. */
function collectAssertedKinds(check: Node, into: Map<string, KindAtom[]>): void {
  const c = stripWrappers(check);
  if (c.type !== 'binary_expression') return;
  const op = c.childForFieldName('operator')?.text;
  const left = c.childForFieldName('left');
  const right = c.childForFieldName('right');
  if (!left || !right) return;
  if (op === '&&') {
    collectAssertedKinds(left, into);
    collectAssertedKinds(right, into);
    return;
  }
  if (op !== '==') return;
  for (const [expr, value] of [[left, right], [right, left]] as const) {
    const v = stripWrappers(value);
    const atom = v.type === 'identifier' ? constantAtom(v.text) : null;
    if (atom && atom !== 'flag') into.set(expressionKey(stripWrappers(expr).text), [atom]);
  }
}

/** An expression's text without spaces, so `ai -> ai_socktype` and `ai->ai_socktype` match. */
function expressionKey(text: string): string {
  return text.replace(/\s+/g, '');
}

/** `int fd`, `evutil_socket_t sock`, `SOCKET s`: a scalar parameter named or typed like a descriptor. */
function isDescriptorParam(param: Node): boolean {
  const declarator = param.childForFieldName('declarator');
  if (!declarator || declarator.type !== 'identifier') return false;
  const type = param.childForFieldName('type')?.text ?? '';
  const name = declarator.text;
  return DESCRIPTOR_TYPE.test(type) && /(?:^fd$|fd$|^s$|sock|listen)/i.test(name);
}

/** Type names a descriptor is declared with (`int`, `SOCKET`, `evutil_socket_t`, `socket_descriptor_t`). */
const DESCRIPTOR_TYPE = /^(?:int|SOCKET|\w*socket\w*|\w*_fd_t|\w*sock\w*_t)$/i;

const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case']);

/** The struct a declaration's type names (`struct conn *`, `conn_t *` via typedef), or null for scalars. */
export function structTypeName(type: Node | null, typedefs?: ReadonlyMap<string, string>): string | null {
  if (!type) return null;
  if (type.type === 'struct_specifier' || type.type === 'union_specifier') {
    const name = type.childForFieldName('name')?.text;
    return name ? typedefs?.get(name) ?? name : null;
  }
  if (type.type === 'type_identifier') return typedefs?.get(type.text) ?? type.text;
  return null;
}

/** `if (x) {` read as a function named `if` (macros confuse the grammar): not a function. */
function isMisparsedFunction(fn: Node): boolean {
  const declarator = fn.childForFieldName('declarator');
  const fnDecl = declarator ? findFunctionDeclarator(declarator) : null;
  const name = fnDecl ? declaratorName(fnDecl.childForFieldName('declarator')) : null;
  return name !== null && KEYWORDS.has(name);
}

function emptyScope(name: string | null, params: string[]): Scope {
  return {
    name, params, locals: new Set(), assigns: new Map(), fieldAssigns: new Map(), kindVars: new Set(), statusVars: new Set(), resultVars: new Set(),
    familyFilter: false, atomCache: new Map(), types: new Map(), asserted: new Map(),
  };
}

/** Is this node a value whose flow matters: a variable read, the outermost field or element access? */
function isValueNode(node: Node): boolean {
  if (node.type !== 'identifier' && node.type !== 'field_expression' && node.type !== 'subscript_expression') return false;
  const p = node.parent;
  if (!p) return false;
  switch (p.type) {
    case 'field_expression':
    case 'subscript_expression':
      return !sameNode(p.childForFieldName('argument'), node);
    case 'call_expression':
      return !sameNode(p.childForFieldName('function'), node);
    case 'assignment_expression':
      return !sameNode(p.childForFieldName('left'), node);
    case 'init_declarator':
      return !sameNode(p.childForFieldName('declarator'), node);
    case 'pointer_expression':
      return false; // `&fd` handled as an out-parameter, `*p` as a carrier
    case 'declaration':
    case 'parameter_declaration':
    case 'pointer_declarator':
    case 'array_declarator':
    case 'function_declarator':
    case 'goto_statement':
    case 'labeled_statement':
    case 'preproc_def':
    case 'preproc_function_def':
    case 'preproc_ifdef':
      return false;
    default:
      return true;
  }
}

function collectNodes(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return out;
}

function findFunctionDeclarator(node: Node): Node | null {
  for (let cur: Node | null = node; cur; cur = cur.childForFieldName('declarator')) {
    if (cur.type === 'function_declarator') return cur;
  }
  return null;
}

/** The name a declarator declares (`*fd`, `fds[2]`, `(*fn)(void)` -> fd, fds, fn). */
export function declaratorName(node: Node | null): string | null {
  for (let cur = node; cur; cur = cur.childForFieldName('declarator') ?? (cur.type === 'parenthesized_declarator' ? cur.namedChildren[0] ?? null : null)) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier') return cur.text;
  }
  return null;
}

export function calleeName(call: Node): string | null {
  const fn = call.childForFieldName('function');
  const inner = fn ? stripWrappers(fn) : null;
  return inner?.type === 'identifier' ? inner.text : null;
}

/** Parentheses and casts do not change which fd or constant an expression is. */
export function stripWrappers(node: Node): Node {
  let cur = node;
  for (;;) {
    if (cur.type === 'parenthesized_expression' && cur.namedChildCount >= 1) cur = cur.namedChild(0)!;
    else if (cur.type === 'cast_expression' && cur.childForFieldName('value')) cur = cur.childForFieldName('value')!;
    else return cur;
  }
}

function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Identifiers read in an expression. For kind variables, the struct a field is read from
 * (`cancel` in `cancel->addr.ss_family`) is not one: its other fields may well be configuration.
 */
function addIdentifiers(node: Node, into: Set<string>, skipCallees = false, skipFieldBases = !skipCallees): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      const p = n.parent;
      const callee = p?.type === 'call_expression' && sameNode(p.childForFieldName('function'), n);
      const fieldBase = p?.type === 'field_expression' && sameNode(p.childForFieldName('argument'), n);
      if (!(skipCallees && callee) && !(skipFieldBases && fieldBase)) into.add(n.text);
    }
    for (let i = 0; i < n.namedChildCount; i++) stack.push(n.namedChild(i)!);
  }
}

function literalNumber(node: Node, constants: ReadonlyMap<string, string>): number | undefined {
  const n = stripWrappers(node);
  const text = n.type === 'identifier' ? constants.get(n.text) ?? n.text : n.text;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function returnKind(typeText: string, pointer: boolean): FunctionFact['returns'] {
  if (pointer) return 'unknown';
  if (typeText === 'void') return 'void';
  if (['int', 'long', 'ssize_t', 'int32_t'].includes(typeText)) return 'int';
  return 'unknown';
}
