/**
 * One parsed file -> its facts: socket sites, fd flow edges, setsockopt events and calls with
 * the kind of their arguments. Works on tree-sitter nodes over a latin1 string, so every index is
 * a byte offset into the file. The tree is not kept: callers drop it after this returns.
 */
import type { TuningOption } from '@ka-codemod/core';
import {
  ARG, DESCRIPTOR_FIELD, DUP_CALL, READINESS_STRUCT, KEEPALIVE_OPTION, KIND_CONSTANT, STANDARD_FDS, TUNING_OPTION_NAMES, isCreationCall, isKnownCall, type KnownCall,
  UNIX_ADDRESS_STRUCT,
} from '../libc.js';
import type { CallFact, Carrier, FileFacts, FlowEdge, OptionEvent, SiteFact } from './model.js';
import type { MacroArg, MacroTable } from '../macros.js';
import type { LiteNode } from '../scan/lite-tree.js';
import { isConfigGuarded } from './guards.js';
import { argAtoms, atoms } from './kind-atoms.js';
import { collectDeclaration, collectScopeFacts, emptyScope, type Scope } from './scope.js';
import {
  calleeName, collectNodes, declaratorName, DESCRIPTOR_TYPE, findFunctionDeclarator, isDescriptorParam, isMisparsedFunction,
  isValueNode, literalNumber, returnKind, sameNode, stripWrappers, structTypeName, type CallArg, type Node,
} from './tree.js';

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
      if (node.type === 'init_declarator') collectDeclaration(node, this.topScope, false);
      if (node.type === 'initializer_pair' || node.type === 'assignment_expression') this.noteFunctionValue(node, this.topScope);
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
    for (const node of nodes) collectScopeFacts(node, scope, this.options.typedefs, this.isSocketCall);
    for (const node of nodes) {
      if (node.type === 'identifier' && (node.text === KEEPALIVE_OPTION || TUNING_SET.has(node.text))) this.noteTableOption(node);
      if (node.type === 'call_expression' || isValueNode(node)) this.visitExpressionNode(node, scope);
      if (node.type === 'initializer_pair' || node.type === 'assignment_expression') this.noteFunctionValue(node, scope);
    }
  }

  /**
   * `.setup = tcp_setup` in a table, `ops->setup = tcp_setup` in code: a function stored in a field,
   * which a call through that field (`ops->setup(fd)`) may call.
   */
  private noteFunctionValue(node: Node, scope: Scope): void {
    let field: string | null = null;
    let value: Node | null = null;
    if (node.type === 'initializer_pair') {
      const designator = node.childForFieldName('designator') ?? node.namedChildren[0];
      if (designator?.type === 'field_designator') field = designator.text.replace(/^\./, '');
      value = node.childForFieldName('value');
    } else if (node.childForFieldName('operator')?.text === '=') {
      const left = stripWrappers(node.childForFieldName('left')!);
      if (left.type === 'field_expression') field = left.childForFieldName('field')?.text ?? null;
      value = node.childForFieldName('right');
    }
    if (!field || !value) return;
    let v = stripWrappers(value);
    if (v.type === 'pointer_expression' && v.childForFieldName('operator')?.text === '&') v = stripWrappers(v.childForFieldName('argument')!);
    if (v.type !== 'identifier' || scope.params.includes(v.text) || scope.locals.has(v.text) || /^[A-Z0-9_]+$/.test(v.text)) return;
    (this.facts.fieldFunctions ??= []).push([field, v.text]);
  }

  private readonly isSocketCall = (name: string): boolean => this.knownTarget(name)?.target === 'socket';

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
    // a value (identifier, field, element, `*out` of a pointer parameter) that flows somewhere
    if (node.type === 'pointer_expression' && !this.isOutParamRead(node, scope)) return;
    this.fieldHolder = null;
    const from = this.carrierOf(node, scope);
    if (!from) return;
    const fromHolder = this.held(from);
    this.fieldHolder = null;
    const to = this.destinationOf(node, scope);
    if (to && to !== from) this.edge(from, to, 'alias', fromHolder, this.held(to));
  }

  /**
   * A call through a function pointer (`c->ops->handle(c->fd)`, `(*cb)(fd)`, a parameter `handler(fd)`):
   * what it passes escapes into code the engine does not follow. Each argument flows into an
   * escape carrier `U:path|line|function|callee` that names the place.
   */
  private visitIndirectCall(call: Node, scope: Scope): void {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const callee = stripWrappers(fn).text.replace(/\s+/g, '');
    if (callee.length > 60 || /[(){};]/.test(callee.replace(/^\(\*(\w+)\)$/, '$1'))) return;
    // through a field (`ops->setup`, `(*c->cb)`): the functions stored in that field are its targets
    const target = stripWrappers(fn);
    const through = target.type === 'field_expression' ? target : target.type === 'pointer_expression' ? stripWrappers(target.childForFieldName('argument')!) : null;
    const field = through?.type === 'field_expression' ? through.childForFieldName('field')?.text ?? '' : '';
    const escape = `U:${this.options.path}|${call.startPosition.row + 1}|${scope.name ?? ''}|${callee}|${field}`;
    (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n) => n.type !== 'comment').forEach((arg, i) => {
      const inner = stripWrappers(arg);
      // a descriptor handed over: a variable, or a field named like one (`c->fd`, `conn->sock`)
      if (inner.type !== 'identifier' && inner.type !== 'field_expression' && inner.type !== 'subscript_expression') return;
      if (inner.type === 'identifier' && this.isContextStruct(inner, scope)) return;
      if (inner.type === 'field_expression' && !DESCRIPTOR_FIELD.test(inner.childForFieldName('field')?.text ?? '')) return;
      const from = this.carrierOf(inner, scope);
      if (from && !from.startsWith('G:') && !from.startsWith('D:')) this.edge(from, `${escape}|${i}`, 'alias');
    });
  }

  /** `*newsock` read where `newsock` is a pointer parameter: the value the function's out-parameter holds. */
  private isOutParamRead(node: Node, scope: Scope): boolean {
    if (node.childForFieldName('operator')?.text !== '*') return false;
    const arg = stripWrappers(node.childForFieldName('argument')!);
    return arg.type === 'identifier' && scope.params.includes(arg.text);
  }

  private visitCall(call: Node, scope: Scope): void {
    const name = calleeName(call);
    if (!name || scope.params.includes(name) || (scope.locals.has(name) && !scope.assigns.has(name))) this.visitIndirectCall(call, scope);
    if (!name) return;
    // `#define socket(d, t, p) my_socket(d, t, p)`: the macro's own name, misread as a call where
    // the grammar lost the directive, is not a call
    if (/#\s*define\s+$/.test(call.linePrefix)) return;
    const argNodes = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n) => n.type !== 'comment');
    // `c = dup(fd)`: a second descriptor for the same socket (options set on it apply to both)
    if (name === DUP_CALL && argNodes.length === 1) {
      const from = this.argCarrier({ node: argNodes[0]! }, scope);
      const to = this.destinationOf(call, scope);
      if (from && to) this.edge(from, to, 'alias');
      return;
    }
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
    this.fieldHolder = null;
    const dest = this.destinationOf(call, scope) ?? 'X';
    this.edge(`R:${name}`, dest, 'context', undefined, this.held(dest));
    argNodes.forEach((arg, i) => {
      // what the callee stores through a pointer or array parameter (`*out = fd`, `fds[i] = fd`)
      // lands in the caller's variable
      const inner = stripWrappers(arg);
      let target: Carrier | null = null;
      this.fieldHolder = null;
      if (inner.type === 'pointer_expression' && inner.childForFieldName('operator')?.text === '&') {
        target = this.carrierOf(inner.childForFieldName('argument')!, scope);
      } else if (inner.type === 'identifier' || inner.type === 'field_expression') {
        target = this.carrierOf(inner, scope);
      }
      // the caller's own pointer or array parameter passed on (`listen_all(int *socks)` calling
      // `open_one(&socks[n])`): what the callee stores there is the caller's out-parameter
      if (target?.startsWith('P:')) target = `O:${target.slice(2)}`;
      if (target) this.edge(`O:${name}:${i}`, target, 'context', undefined, this.held(target));
    });
    const fact: CallFact = {
      callee: name, caller: scope.name, path: this.options.path, line: call.startPosition.row + 1,
      args: argNodes.map((a) => atoms(this.options.macros.constants, a, scope, 0)),
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
        fact.guarded = isConfigGuarded(call, scope, fd);
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
      site.family = argAtoms(this.options.macros.constants, args[ARG.socket.family], scope, notes);
      site.type = argAtoms(this.options.macros.constants, args[ARG.socket.type], scope, notes);
      site.protocol = args[ARG.socket.protocol] ? argAtoms(this.options.macros.constants, args[ARG.socket.protocol], scope, notes) : [];
    } else {
      const listener = this.argCarrier(args[ARG.accept.listener], scope);
      if (listener) site.listener = listener;
      if (this.isUnixPeerBuffer(args[ARG.accept.peerAddress], args[ARG.accept.peerAddressLength], scope)) site.unixPeer = true;
    }
    site.kindNotes = [...notes];
    this.fieldHolder = null;
    const dest = this.destinationOf(call, scope);
    if (dest) site.dests.push(dest);
    const holder = this.held(dest);
    if (holder) site.destHolder = holder;
    this.facts.sites.push(site);
  }

  private visitSetsockopt(call: Node, args: CallArg[], scope: Scope): void {
    this.fieldHolder = null;
    const carrier = this.argCarrier(args[ARG.setsockopt.fd], scope);
    if (!carrier) return;
    const holder = this.held(carrier);
    const option = this.optionOf(args[ARG.setsockopt.option], scope, 0);
    if (option === 'other') return;
    const value = this.valueOf(args[ARG.setsockopt.value], scope);
    if (option === 'keepalive' && value === 0) return; // explicitly switched off
    const event: OptionEvent = {
      carrier,
      kind: option === 'keepalive' || option === 'dynamic' ? option : 'tuning',
      conditional: isConfigGuarded(call, scope, carrier) || (option === 'keepalive' && this.isConfiguredValue(args[ARG.setsockopt.value], scope, call.startIndex)),
      path: this.options.path,
      function: scope.name,
      line: call.startPosition.row + 1,
    };
    if (option !== 'keepalive' && option !== 'dynamic') event.option = option;
    if (value !== undefined) event.value = value;
    if (holder) event.holder = holder;
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
   * `&v` whose value a user setting decides: a field (`&ls->keepalive`), a parameter, or a local
   * assigned from one (`value = cfg->ka ? 1 : 0`). Literals, constants and globals are not.
   */
  private isConfiguredValue(arg: CallArg | undefined, scope: Scope, before: number): boolean {
    if (!arg || 'text' in arg) return false;
    const node = stripWrappers(arg.node);
    if (node.type === 'identifier') return scope.params.includes(node.text);
    if (node.type !== 'pointer_expression' || node.childForFieldName('operator')?.text !== '&') return false;
    return this.isConfiguredExpression(node.childForFieldName('argument')!, scope, new Set(), before);
  }

  /** `before`: only assignments written before the call count (`val = interval` after it sets a tuning value). */
  private isConfiguredExpression(node: Node, scope: Scope, seen: Set<string>, before: number): boolean {
    const n = stripWrappers(node);
    switch (n.type) {
      case 'identifier': {
        const name = n.text;
        if (scope.params.includes(name)) return true;
        if (!scope.locals.has(name) || seen.has(name)) return false;
        seen.add(name);
        return (scope.assigns.get(name) ?? []).some((v) => v.startIndex < before && this.isConfiguredExpression(v, scope, seen, before));
      }
      case 'field_expression':
      case 'subscript_expression':
      case 'call_expression':
        return true;
      case 'conditional_expression': {
        const a = stripWrappers(n.childForFieldName('consequence')!);
        const b = stripWrappers(n.childForFieldName('alternative')!);
        // `cfg->ka ? 1 : 0`: the condition decides the value
        return a.text !== b.text || this.isConfiguredExpression(a, scope, seen, before);
      }
      case 'binary_expression':
      case 'unary_expression':
        return n.namedChildren.some((c) => this.isConfiguredExpression(c, scope, seen, before));
      default:
        return false;
    }
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
        const base = this.holderOf(node.childForFieldName('argument')!, scope);
        this.fieldHolder = base;
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

  /**
   * The object a field is read from or stored into (`c` in `c->fd`, `ls` in `ls[i].fd`,
   * `F:client.conn` in `c->conn->fd`): keepalive set through one object's field covers a socket
   * stored in another's only when the two can be the same object.
   */
  private holderOf(node: Node, scope: Scope): Carrier | null {
    let n = stripWrappers(node);
    for (;;) {
      if (n.type === 'subscript_expression') n = stripWrappers(n.childForFieldName('argument')!);
      else if (n.type === 'pointer_expression') n = stripWrappers(n.childForFieldName('argument')!);
      else break;
    }
    if (n.type === 'identifier') {
      const index = scope.params.indexOf(n.text);
      if (index >= 0) return `P:${scope.name}:${index}`;
      if (scope.name && scope.locals.has(n.text)) return `L:${scope.name}:${n.text}`;
      return `G:${n.text}`;
    }
    if (n.type === 'field_expression') {
      const saved = this.fieldHolder;
      const c = this.carrierOf(n, scope);
      this.fieldHolder = saved;
      return c;
    }
    if (n.type === 'call_expression') {
      const callee = calleeName(n);
      return callee ? `R:${callee}` : null;
    }
    return null;
  }

  /** The holder of the last field carrierOf returned (see holderOf). */
  private fieldHolder: Carrier | null = null;

  /** Runs a carrier lookup and returns the holder when the carrier is a field. */
  private held(carrier: Carrier | null): Carrier | undefined {
    return carrier?.startsWith('F:') ? this.fieldHolder ?? undefined : undefined;
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

  private edge(from: Carrier, to: Carrier, kind: FlowEdge['kind'], fromHolder?: Carrier, toHolder?: Carrier): void {
    const e: FlowEdge = { from, to, kind };
    if (fromHolder) e.fromHolder = fromHolder;
    if (toHolder) e.toHolder = toHolder;
    this.facts.edges.push(e);
  }
}
