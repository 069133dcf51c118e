// Reference reader for LlmStruct.Parsers.JavaScript: parses files with acorn (ES2024; acorn-jsx for JSX) and prints,
// one JSON line per file, whether acorn accepts it and its structure in LlmStruct's model semantics, as the
// canonical strings the C# harness builds from our parser's output.
// Usage: node oracle.mjs <root> <relative-path>...   (or paths on stdin, one a line, when none are given)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as acorn from 'acorn';
import jsx from 'acorn-jsx';

const JsxParser = acorn.Parser.extend(jsx());
const COMPONENT_BASES = new Set(['Component', 'PureComponent', 'React.Component', 'React.PureComponent']);

function tryParse(parser, text, sourceType, comments) {
  // CommonJS runs inside a function: a top-level `return` is accepted in scripts, as LlmStruct does.
  comments.length = 0;
  try {
    const program = parser.parse(text, { ecmaVersion: 2024, sourceType, locations: true, allowHashBang: true, allowReturnOutsideFunction: sourceType === 'script', onComment: comments });
    return { program };
  } catch (e) {
    const loc = e.loc ?? { line: 0, column: -1 };
    return { error: { line: loc.line, column: loc.column + 1, reason: String(e.message).replace(/ \(\d+:\d+\)$/, ''), pos: e.pos ?? 0 } };
  }
}

function read(path, text) {
  const ext = path.slice(path.lastIndexOf('.')).toLowerCase();
  const modes = ext === '.mjs' ? ['module'] : ext === '.cjs' ? ['script'] : ['module', 'script'];
  const parsers = ext === '.jsx' ? [JsxParser] : [acorn.Parser, JsxParser];
  const comments = [];
  let best = null;
  for (const parser of parsers) {
    if (parser === JsxParser && ext !== '.jsx' && !text.includes('<')) continue;
    for (const mode of modes) {
      const r = tryParse(parser, text, mode, comments);
      if (r.program) return { program: r.program, comments: [...comments] };
      if (ext === '.jsx' || parser !== JsxParser) if (!best || r.error.pos > best.pos) best = r.error;
    }
  }
  return { error: best };
}

const isSpace = (c) => /\s/.test(c);
const normalize = (s) => s.replace(/\s+/g, ' ').trim();

function firstParagraph(doc) {
  const out = [];
  let started = false;
  for (const raw of doc.replace(/\r\n/g, '\n').replace(/\r/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line.length === 0) { if (started) break; continue; }
    out.push(line);
    started = true;
  }
  return out.length ? out.join(' ') : null;
}

function jsdocBefore(text, comments, offset) {
  let found = null;
  for (const c of comments) { if (c.end <= offset) found = c; else break; }
  if (!found || found.type !== 'Block' || found.end - found.start < 5 || text[found.start + 2] !== '*' || text[found.start + 3] === '/') return null;
  for (let i = found.end; i < offset; i++) if (!isSpace(text[i])) return null;
  const lines = [];
  for (const raw of text.slice(found.start + 3, found.end - 2).replace(/\r\n/g, '\n').replace(/\r/g, '\n').split('\n')) {
    let line = raw.trim();
    if (line.startsWith('*')) line = line.slice(1).trim();
    if (line.startsWith('@')) break;
    lines.push(line);
  }
  return firstParagraph(lines.join('\n') + '\n');
}

const FILE_TAGS = ['@file', '@fileoverview', '@overview', '@module'];

function blankLineFollows(text, from, to) {
  const end = to < 0 ? text.length : to;
  let newlines = 0;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === '\n') { if (++newlines === 2) return true; } else if (!isSpace(c)) return false;
  }
  return to < 0;
}

function cleanDoc(body) {
  const lines = [];
  for (const raw of body.replace(/\r\n/g, '\n').replace(/\r/g, '\n').split('\n')) {
    let line = raw.trim();
    if (line.startsWith('*')) line = line.slice(1).trim();
    if (line.startsWith('@')) break;
    lines.push(line);
  }
  return firstParagraph(lines.join('\n') + '\n');
}

function moduleDoc(text, comments, firstStatement) {
  const c = comments.find((x) => x.type === 'Block');
  if (!c || (firstStatement >= 0 && c.start >= firstStatement) || c.end - c.start < 5 || text[c.start + 2] !== '*' || text[c.start + 3] === '/') return null;
  const body = text.slice(c.start + 3, c.end - 2);
  const lines = body.replace(/\r\n/g, '\n').replace(/\r/g, '\n').split('\n').map((l) => l.trim()).map((l) => (l.startsWith('*') ? l.slice(1).trim() : l));
  const tagLine = lines.findIndex((l) => FILE_TAGS.some((t) => l === t || l.startsWith(t + ' ')));
  if (tagLine < 0 && !blankLineFollows(text, c.end, firstStatement)) return null;
  const before = cleanDoc(body);
  if (before !== null || tagLine < 0) return before;
  const first = lines[tagLine];
  const space = first.indexOf(' ');
  const out = [(space < 0 ? '' : first.slice(space)).trim()];
  for (let i = tagLine + 1; i < lines.length && !lines[i].startsWith('@'); i++) out.push(lines[i]);
  return firstParagraph(out.join('\n') + '\n');
}

function extract(path, text, program, comments) {
  const topLevel = [], imports = [], exports = [], variables = [];
  const handledRequires = new Set();
  let exportWrapper = null;
  const src = (n) => normalize(text.slice(n.start, n.end));
  const line = (n) => n.loc.start.line;
  const isFn = (n) => n && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression');
  const isJsx = (n) => {
    while (n) {
      if (n.type === 'JSXElement' || n.type === 'JSXFragment') return true;
      if (n.type === 'ConditionalExpression') { if (isJsx(n.consequent)) return true; n = n.alternate; continue; }
      if (n.type === 'LogicalExpression') { if (isJsx(n.left)) return true; n = n.right; continue; }
      return false;
    }
    return false;
  };
  const statementStart = (decl) => exportWrapper && exportWrapper.declaration === decl ? exportWrapper : decl;
  const prefix = (scope) => scope.owner ? scope.owner.qualifiedName + '.' : '';
  const keyName = (key, computed) => computed ? '[' + src(key) + ']'
    : key.type === 'Identifier' ? key.name
    : key.type === 'PrivateIdentifier' ? '#' + key.name
    : key.type === 'Literal' && typeof key.value === 'string' ? key.value
    : src(key);
  const memberPath = (n) => {
    const parts = [];
    for (;;) {
      if (n.type === 'Identifier') { parts.push(n.name); return parts.reverse().join('.'); }
      if (n.type === 'MemberExpression' && !n.computed && !n.optional && n.property.type === 'Identifier') { parts.push(n.property.name); n = n.object; continue; }
      return null;
    }
  };
  const literalText = (n) => n.type === 'Literal' && typeof n.value === 'string' ? n.value
    : n.type === 'TemplateLiteral' && n.expressions.length === 0 && n.quasis.length === 1 ? n.quasis[0].value.cooked : null;
  const requireOf = (n) => n && n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require'
    && n.arguments.length === 1 ? literalText(n.arguments[0]) : null;
  const addImport = (imp, node) => imports.push({ ...imp, offset: node.start });
  const addRequire = (call, module, alias, names) => {
    if (handledRequires.has(call.start)) return;
    handledRequires.add(call.start);
    addImport({ module, kind: 'require', alias, names, line: line(call) }, call);
  };

  function newDefinition(kind, name, qualifiedName, start, end, scope, decorators = []) {
    let startOffset = start.start, startLine = line(start);
    for (const d of decorators) if (d.start < startOffset) { startOffset = d.start; startLine = line(d); }
    const def = { kind, name, qualifiedName, startLine, endLine: end.loc.end.line, startOffset,
      doc: jsdocBefore(text, comments, startOffset), params: [], decorators: decorators.map((d) => src(d.expression)),
      bases: [], modifiers: [], visibility: null, async: false, static: false, returnsJsx: false, calls: new Map(), children: [] };
    (scope.owner ? scope.owner.children : topLevel).push(def);
    return def;
  }

  function readFunction(fn, name, qualifiedName, start, kind, scope, maybeComponent, end, decorators) {
    const def = newDefinition(kind, name, qualifiedName, start, end ?? fn, scope, decorators);
    // Where `this.x = function…` defines a member: the constructor function itself, or the class in its constructor.
    const thisOwner = kind === 'constructor' ? scope.owner : fn.type === 'ArrowFunctionExpression' ? scope.thisOwner
      : kind === 'function' ? def : null;
    def.async = !!fn.async;
    if (fn.generator) def.modifiers.push('generator');
    for (const p of fn.params) {
      if (p.type === 'AssignmentPattern') def.params.push({ name: src(p.left), kind: 'regular', default: src(p.right) });
      else if (p.type === 'RestElement') def.params.push({ name: src(p.argument), kind: 'var_positional', default: null });
      else def.params.push({ name: src(p), kind: 'regular', default: null });
      walk(p, scope);
    }
    const inner = { owner: def, returnTarget: def, thisOwner };
    if (fn.body.type !== 'BlockStatement' && isJsx(fn.body)) def.returnsJsx = true;
    walk(fn.body, inner);
    if (maybeComponent && def.returnsJsx && /^[A-Z]/.test(name)) def.kind = 'component';
    return def;
  }

  function readValue(value, name, qualifiedName, start, scope, kind = 'function') {
    if (value.type === 'ClassExpression') readClass(value, name, qualifiedName, start, scope);
    else readFunction(value, name, qualifiedName, start, kind, scope, kind === 'function');
  }

  function readClass(cls, name, qualifiedName, start, scope) {
    const decorators = cls.decorators ?? [];
    for (const d of decorators) walk(d, scope);
    const def = newDefinition('class', name, qualifiedName, start, cls, scope, decorators);
    if (cls.superClass) { def.bases.push(src(cls.superClass)); walk(cls.superClass, scope); }
    const inner = { owner: def, returnTarget: null };
    for (const m of cls.body.body) {
      const mdecorators = m.decorators ?? [];
      if (m.type === 'MethodDefinition') {
        for (const d of mdecorators) walk(d, inner);
        if (m.computed) walk(m.key, inner);
        const n = keyName(m.key, m.computed);
        const kind = m.kind === 'constructor' ? 'constructor' : m.kind === 'get' || m.kind === 'set' ? 'property' : 'method';
        const d = readFunction(m.value, n, def.qualifiedName + '.' + n, m, kind, inner, false, m, mdecorators);
        d.static = !!m.static;
        if (m.key.type === 'PrivateIdentifier') d.visibility = 'private';
        if (m.kind === 'get' || m.kind === 'set') d.modifiers.push(m.kind);
      } else if (m.type === 'PropertyDefinition' || m.type === 'AccessorProperty') {
        for (const d of mdecorators) walk(d, inner);
        if (m.computed) walk(m.key, inner);
        const n = keyName(m.key, m.computed);
        let d;
        if (isFn(m.value)) d = readFunction(m.value, n, def.qualifiedName + '.' + n, m, 'method', inner, false, m, mdecorators);
        else { d = newDefinition('field', n, def.qualifiedName + '.' + n, m, m, inner, mdecorators); walk(m.value, inner); }
        d.static = !!m.static;
        if (m.key.type === 'PrivateIdentifier') d.visibility = 'private';
      } else if (m.type === 'StaticBlock') {
        walk(m, inner);
      }
    }
    if (def.bases.length === 1 && COMPONENT_BASES.has(def.bases[0]) && def.children.some((c) => c.name === 'render' && c.returnsJsx)) def.kind = 'component';
  }

  function readObjectMembers(obj, pre, scope) {
    for (const p of obj.properties) {
      if (p.type === 'Property' && isFn(p.value) && (p.computed || p.key.type === 'Identifier' || (p.key.type === 'Literal' && typeof p.key.value === 'string'))) {
        if (p.computed) walk(p.key, scope);
        const n = keyName(p.key, p.computed);
        const kind = p.kind === 'get' || p.kind === 'set' ? 'property' : 'method';
        const d = readFunction(p.value, n, pre + '.' + n, p, kind, scope, false, p);
        if (p.kind === 'get' || p.kind === 'set') d.modifiers.push(p.kind);
      } else walk(p, scope);
    }
  }

  function requireNames(pattern) {
    const names = [];
    for (const p of pattern.properties) {
      if (p.type === 'Property' && !p.computed && (p.key.type === 'Identifier' || (p.key.type === 'Literal' && typeof p.key.value === 'string'))) {
        const name = p.key.type === 'Identifier' ? p.key.name : p.key.value;
        const local = p.value.type === 'AssignmentPattern' && p.value.left.type === 'Identifier' ? p.value.left : p.value.type === 'Identifier' ? p.value : null;
        names.push({ name, alias: !local || local.name === name ? null : local.name });
      }
    }
    return names;
  }

  function readVariableDeclaration(decl, scope) {
    const first = statementStart(decl);
    let isFirst = true;
    for (const d of decl.declarations) {
      const startNode = isFirst ? first : d;
      isFirst = false;
      if (d.id.type === 'Identifier' && d.init) {
        if (isFn(d.init) || d.init.type === 'ClassExpression') { readValue(d.init, d.id.name, prefix(scope) + d.id.name, startNode, scope); continue; }
        if (d.init.type === 'ObjectExpression') { readObjectMembers(d.init, prefix(scope) + d.id.name, scope); continue; }
        const m = requireOf(d.init);
        if (m !== null) addRequire(d.init, m, d.id.name, []);
      } else if (d.id.type === 'ObjectPattern' && d.init) {
        const m = requireOf(d.init);
        if (m !== null) addRequire(d.init, m, null, requireNames(d.id));
      }
      walk(d.id, scope);
      walk(d.init, scope);
    }
  }

  function readAssignment(a, scope) {
    if (a.operator !== '=' || !(isFn(a.right) || a.right.type === 'ClassExpression' || a.right.type === 'ObjectExpression')) return false;
    if (a.left.type === 'MemberExpression' && !a.left.computed && !a.left.optional && a.left.object.type === 'ThisExpression'
      && a.left.property.type === 'Identifier' && scope.thisOwner && a.right.type !== 'ObjectExpression') {
      const o = scope.thisOwner;
      readValue(a.right, a.left.property.name, o.qualifiedName + '.' + a.left.property.name, a, { ...scope, owner: o }, 'method');
      return true;
    }
    const target = memberPath(a.left);
    if (target === null) return false;
    if (a.right.type === 'ObjectExpression') { readObjectMembers(a.right, prefix(scope) + target, scope); return true; }
    readValue(a.right, target.slice(target.lastIndexOf('.') + 1), prefix(scope) + target, a, scope);
    return true;
  }

  function recordCall(call, callee, scope) {
    const m = requireOf(call);
    if (m !== null) addRequire(call, m, null, []);
    if (!scope.owner || isFn(callee) || callee.type === 'ClassExpression') return;
    const key = src(callee), seen = scope.owner.calls.get(key);
    if (seen) seen.count++; else scope.owner.calls.set(key, { line: line(callee), count: 1 });
  }

  function walkChildren(node, scope) {
    for (const k of Object.keys(node)) {
      if (k === 'loc' || k === 'type' || k === 'start' || k === 'end') continue;
      const v = node[k];
      if (Array.isArray(v)) { for (const c of v) if (c && typeof c.type === 'string') walk(c, scope); }
      else if (v && typeof v.type === 'string') walk(v, scope);
    }
  }

  function walk(node, scope) {
    if (!node) return;
    switch (node.type) {
      case 'FunctionDeclaration': { const n = node.id ? node.id.name : 'default'; readFunction(node, n, prefix(scope) + n, statementStart(node), 'function', scope, true); return; }
      case 'ClassDeclaration': { const n = node.id ? node.id.name : 'default'; readClass(node, n, prefix(scope) + n, statementStart(node), scope); return; }
      case 'ExportDefaultDeclaration':
        if (isFn(node.declaration) || node.declaration.type === 'ClassExpression') { readValue(node.declaration, 'default', 'default', node, scope); return; }
        // fall through
      case 'ExportNamedDeclaration': { const saved = exportWrapper; exportWrapper = node; try { walkChildren(node, scope); } finally { exportWrapper = saved; } return; }
      case 'VariableDeclaration': readVariableDeclaration(node, scope); return;
      case 'AssignmentExpression': if (readAssignment(node, scope)) return; break;
      case 'ClassExpression': if (node.id) { readClass(node, node.id.name, prefix(scope) + node.id.name, node, scope); return; } break;
      case 'ArrowFunctionExpression': case 'FunctionExpression': {
        for (const p of node.params) walk(p, scope);
        walk(node.body, { owner: scope.owner, returnTarget: null, thisOwner: node.type === 'ArrowFunctionExpression' ? scope.thisOwner : null });
        return;
      }
      case 'ReturnStatement': if (scope.returnTarget && node.argument && isJsx(node.argument)) scope.returnTarget.returnsJsx = true; break;
      case 'CallExpression': case 'NewExpression': recordCall(node, node.callee, scope); break;
      case 'ImportExpression': { const m = literalText(node.source); if (m !== null) addImport({ module: m, kind: 'dynamic', alias: null, names: [], line: line(node) }, node); break; }
    }
    walkChildren(node, scope);
  }

  const boundNames = (pattern) => {
    const out = [];
    const visit = (p) => {
      if (!p) return;
      if (p.type === 'Identifier') out.push(p);
      else if (p.type === 'ObjectPattern') for (const q of p.properties) visit(q.type === 'Property' ? q.value : q);
      else if (p.type === 'ArrayPattern') for (const e of p.elements) visit(e);
      else if (p.type === 'AssignmentPattern') visit(p.left);
      else if (p.type === 'RestElement') visit(p.argument);
    };
    visit(pattern);
    return out;
  };
  const addVariables = (decl) => {
    for (const d of decl.declarations) {
      if (d.id.type === 'Identifier' && (isFn(d.init) || d.init?.type === 'ClassExpression')) continue;
      for (const id of boundNames(d.id)) variables.push({ name: id.name, line: line(id) });
    }
  };
  const exportName = (n) => n.type === 'Identifier' ? n.name : n.type === 'Literal' ? String(n.value) : '';

  function readTopLevel(s) {
    switch (s.type) {
      case 'ImportDeclaration':
        addImport({ module: s.source.value, kind: 'import', alias: null, line: line(s), names: s.specifiers.map((sp) =>
          sp.type === 'ImportDefaultSpecifier' ? { name: 'default', alias: sp.local.name }
          : sp.type === 'ImportNamespaceSpecifier' ? { name: '*', alias: sp.local.name }
          : { name: exportName(sp.imported), alias: exportName(sp.imported) === sp.local.name ? null : sp.local.name }) }, s);
        break;
      case 'ExportAllDeclaration': {
        const alias = s.exported ? exportName(s.exported) : null;
        addImport({ module: s.source.value, kind: 'reexport', alias: null, line: line(s), names: [{ name: '*', alias }] }, s);
        if (alias !== null) exports.push(alias);
        break;
      }
      case 'ExportNamedDeclaration':
        if (s.source) addImport({ module: s.source.value, kind: 'reexport', alias: null, line: line(s), names: s.specifiers.map((sp) =>
          ({ name: exportName(sp.local), alias: exportName(sp.exported) === exportName(sp.local) ? null : exportName(sp.exported) })) }, s);
        for (const sp of s.specifiers) exports.push(exportName(sp.exported));
        if (s.declaration) {
          if ((s.declaration.type === 'FunctionDeclaration' || s.declaration.type === 'ClassDeclaration') && s.declaration.id) exports.push(s.declaration.id.name);
          else if (s.declaration.type === 'VariableDeclaration') {
            for (const d of s.declaration.declarations) for (const id of boundNames(d.id)) exports.push(id.name);
            addVariables(s.declaration);
          }
        }
        break;
      case 'ExportDefaultDeclaration': exports.push('default'); break;
      case 'VariableDeclaration': addVariables(s); break;
      case 'ExpressionStatement':
        if (s.expression.type === 'AssignmentExpression') {
          for (let cur = s.expression; cur && cur.type === 'AssignmentExpression'; cur = cur.right) {
            if (cur.operator !== '=') break;
            const target = memberPath(cur.left);
            if (target === 'module.exports') {
              let value = cur.right;
              while (value.type === 'AssignmentExpression') value = value.right;
              if (value.type === 'ObjectExpression') {
                for (const p of value.properties) if (p.type === 'Property' && !p.computed && (p.key.type === 'Identifier' || (p.key.type === 'Literal' && typeof p.key.value === 'string'))) exports.push(keyName(p.key, false));
              } else exports.push('default');
            } else if (target !== null && (target.startsWith('exports.') || target.startsWith('module.exports.'))
              && target.split('.').length - 1 === (target[0] === 'e' ? 1 : 2)) {
              exports.push(target.slice(target.lastIndexOf('.') + 1));
            }
          }
        }
        break;
    }
  }

  for (const s of program.body) { readTopLevel(s); walk(s, { owner: null, returnTarget: null }); }

  const seen = new Map();
  const defs = [];
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const build = (d) => {
    const n = (seen.get(d.qualifiedName) ?? 0) + 1;
    seen.set(d.qualifiedName, n);
    const id = `${path}#${n === 1 ? d.qualifiedName : d.qualifiedName + '~' + n}`;
    const calls = [...d.calls.entries()].sort((a, b) => a[1].line - b[1].line || cmp(a[0], b[0]))
      .map(([c, v]) => `${c}@${v.line}*${v.count}`).join(';');
    const params = d.params.map((p) => `${p.name}:${p.kind}:${p.default ?? ''}`).join(';');
    defs.push([id, d.kind, d.name, d.qualifiedName, `${d.startLine}-${d.endLine}`, `async=${d.async ? 1 : 0}`, `static=${d.static ? 1 : 0}`,
      `vis=${d.visibility ?? ''}`, `mods=${[...d.modifiers].sort(cmp).join(',')}`, `bases=${d.bases.join(',')}`, `decos=${d.decorators.join(',')}`,
      `doc=${d.doc ?? ''}`, `params=${params}`, `calls=${calls}`].join('|'));
    for (const c of [...d.children].sort((a, b) => a.startOffset - b.startOffset)) build(c);
  };
  for (const d of [...topLevel].sort((a, b) => a.startOffset - b.startOffset)) build(d);

  imports.sort((a, b) => a.line - b.line || cmp(a.module, b.module) || a.offset - b.offset);
  variables.sort((a, b) => a.line - b.line || cmp(a.name, b.name));
  return {
    docstring: moduleDoc(text, comments, program.body.find((st) => !st.directive)?.start ?? -1),
    imports: imports.map((i) => `${i.line}|${i.kind}|${i.module}|${i.alias ?? ''}|${i.names.map((n) => n.name + ':' + (n.alias ?? '')).join(',')}`),
    exports: [...new Set(exports)],
    variables: variables.map((v) => `${v.line}|${v.name}`),
    definitions: defs,
  };
}

function main() {
  const [root, ...args] = process.argv.slice(2);
  const paths = args.length ? args : readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = [];
  for (const path of paths) {
    let text = readFileSync(join(root, path), 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let result;
    try {
      const r = read(path, text);
      result = r.program
        ? { path, accepted: true, ...extract(path, text, r.program, r.comments) }
        : { path, accepted: false, error: r.error };
    } catch (e) {
      result = { path, accepted: false, error: { line: 0, column: 0, reason: `oracle failure: ${e.message}` } };
    }
    out.push(JSON.stringify(result));
  }
  process.stdout.write(out.join('\n') + '\n');
}

main();
