// Reference reader for LlmStruct's TypeScriptParser: parses files with the TypeScript compiler's own parser
// (ts.createSourceFile, no type checking) and prints one JSON line per file: whether it parses without diagnostics,
// and its definitions in LlmStruct's model semantics as "id|kind|qualified name|first-last line|calls=…" strings, the same
// canonical strings the C# harness builds from our parser's output.
// Usage: node ts_oracle.js <root> <relative-path>...   (or paths on stdin, one a line, when none are given)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const SK = ts.SyntaxKind;
const COMPONENT_BASES = new Set(['Component', 'PureComponent', 'React.Component', 'React.PureComponent']);

function scriptKind(file) {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}

const normalize = (s) => s.replace(/\s+/g, ' ').trim();

function extract(file, text, sf) {
  const topLevel = [];
  const line = (pos) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const endLine = (end) => line(Math.max(0, end - 1));
  const start = (node) => node.getStart(sf);
  const unwrap = (n) => { while (n && n.kind === SK.ParenthesizedExpression) n = n.expression; return n; };
  const isFn = (n) => n && (n.kind === SK.ArrowFunction || n.kind === SK.FunctionExpression);
  const isJsx = (n) => {
    for (n = unwrap(n); n; n = unwrap(n)) {
      if (n.kind === SK.JsxElement || n.kind === SK.JsxSelfClosingElement || n.kind === SK.JsxFragment) return true;
      if (n.kind === SK.ConditionalExpression) { if (isJsx(n.whenTrue)) return true; n = n.whenFalse; continue; }
      if (n.kind === SK.BinaryExpression && [SK.AmpersandAmpersandToken, SK.BarBarToken, SK.QuestionQuestionToken].includes(n.operatorToken.kind)) {
        if (isJsx(n.left)) return true; n = n.right; continue;
      }
      return false;
    }
    return false;
  };
  const prefix = (scope) => (scope.owner ? scope.owner.qualifiedName + '.' : '');
  const propName = (name) => {
    switch (name.kind) {
      case SK.Identifier: case SK.PrivateIdentifier: return name.text;
      case SK.StringLiteral: case SK.NoSubstitutionTemplateLiteral: return name.text;
      case SK.NumericLiteral: return text.slice(start(name), name.end);
      case SK.ComputedPropertyName: return '[' + normalize(text.slice(start(name.expression), name.expression.end)) + ']';
      default: return normalize(text.slice(start(name), name.end));
    }
  };
  const memberPath = (n) => {
    const parts = [];
    for (;;) {
      if (n.kind === SK.Identifier) { parts.push(n.text); return parts.reverse().join('.'); }
      if (n.kind === SK.PropertyAccessExpression && !n.questionDotToken && n.name.kind === SK.Identifier) { parts.push(n.name.text); n = n.expression; continue; }
      return null;
    }
  };

  function newDef(kind, name, qualifiedName, startPos, end, scope) {
    const d = { kind, name, qualifiedName, startOffset: startPos, startLine: line(startPos), endLine: endLine(end), children: [], returnsJsx: false, calls: new Map() };
    (scope.owner ? scope.owner.children : topLevel).push(d);
    return d;
  }

  function readFunction(fn, name, qualifiedName, startPos, kind, scope, maybeComponent, end) {
    const d = newDef(kind, name, qualifiedName, startPos, end ?? fn.end, scope);
    for (const p of fn.parameters ?? []) walk(p, scope);
    const thisOwner = kind === 'constructor' ? scope.owner : fn.kind === SK.ArrowFunction ? scope.thisOwner : kind === 'function' ? d : null;
    const inner = { owner: d, returnTarget: d, thisOwner };
    if (fn.body) {
      if (fn.body.kind !== SK.Block && isJsx(fn.body)) d.returnsJsx = true;
      walk(fn.body, inner);
    }
    if (maybeComponent && d.returnsJsx && /^[A-Z]/.test(name)) d.kind = 'component';
    return d;
  }

  function readClass(cls, name, qualifiedName, startPos, scope, attach = true) {
    for (const m of cls.modifiers ?? []) walk(m, scope);
    const d = attach ? newDef('class', name, qualifiedName, startPos, cls.end, scope)
      : { kind: 'class', name, qualifiedName, children: [], calls: new Map() };
    let base = null;
    for (const h of cls.heritageClauses ?? []) {
      if (h.token === SK.ExtendsKeyword && h.types.length) { base = normalize(text.slice(start(h.types[0].expression), h.types[0].expression.end)); walk(h.types[0].expression, scope); }
    }
    const inner = { owner: d, returnTarget: null, thisOwner: null };
    for (const m of cls.members) {
      const mstart = start(m);
      for (const mod of m.modifiers ?? []) walk(mod, inner);
      if (m.name && m.name.kind === SK.ComputedPropertyName) walk(m.name.expression, inner);
      switch (m.kind) {
        case SK.Constructor: {
          readFunction(m, 'constructor', d.qualifiedName + '.constructor', mstart, 'constructor', inner, false, m.end);
          for (const p of m.parameters) {
            if (ts.isParameterPropertyDeclaration(p, m)) {
              const n = normalize(text.slice(start(p.name), p.name.end));
              newDef('field', n, d.qualifiedName + '.' + n, start(p), p.end, inner);
            }
          }
          break;
        }
        case SK.MethodDeclaration: {
          const n = propName(m.name);
          const isCtor = n === 'constructor' && m.name.kind === SK.StringLiteral;
          readFunction(m, n, d.qualifiedName + '.' + n, mstart, isCtor ? 'constructor' : 'method', inner, false, m.end);
          break;
        }
        case SK.GetAccessor: case SK.SetAccessor: {
          const n = propName(m.name);
          readFunction(m, n, d.qualifiedName + '.' + n, mstart, 'property', inner, false, m.end);
          break;
        }
        case SK.PropertyDeclaration: {
          const n = propName(m.name);
          const value = unwrap(m.initializer);
          if (isFn(value)) readFunction(value, n, d.qualifiedName + '.' + n, mstart, 'method', inner, false, m.end);
          else { newDef('field', n, d.qualifiedName + '.' + n, mstart, m.end, inner); if (m.initializer) walk(m.initializer, inner); }
          break;
        }
        case SK.ClassStaticBlockDeclaration: walk(m.body, inner); break;
        default: break;
      }
    }
    if (base !== null && COMPONENT_BASES.has(base) && d.children.some((c) => c.name === 'render' && c.returnsJsx)) d.kind = 'component';
  }

  function readObject(obj, pre, scope) {
    for (const p of obj.properties) {
      const usable = p.name && (p.name.kind === SK.Identifier || p.name.kind === SK.PrivateIdentifier || p.name.kind === SK.StringLiteral
        || p.name.kind === SK.NoSubstitutionTemplateLiteral || p.name.kind === SK.ComputedPropertyName);
      if (p.name && p.name.kind === SK.ComputedPropertyName) walk(p.name.expression, scope);
      if (usable && p.kind === SK.PropertyAssignment && isFn(unwrap(p.initializer))) {
        const n = propName(p.name);
        readFunction(unwrap(p.initializer), n, pre + '.' + n, start(p), 'method', scope, false);
      } else if (usable && p.kind === SK.MethodDeclaration) {
        const n = propName(p.name);
        readFunction(p, n, pre + '.' + n, start(p), 'method', scope, false, p.end);
      } else if (usable && (p.kind === SK.GetAccessor || p.kind === SK.SetAccessor)) {
        const n = propName(p.name);
        readFunction(p, n, pre + '.' + n, start(p), 'property', scope, false, p.end);
      } else if (p.kind === SK.MethodDeclaration || p.kind === SK.GetAccessor || p.kind === SK.SetAccessor) {
        for (const q of p.parameters) walk(q, scope);
        walk(p.body, { ...scope, returnTarget: null, thisOwner: null });
      } else if (p.kind === SK.PropertyAssignment) {
        walk(p.initializer, scope);
      } else {
        ts.forEachChild(p, (c) => walk(c, scope));
      }
    }
  }

  // A value bound to a name: function, arrow, class, or (when objects) an object literal's members.
  function readValue(value, name, qualifiedName, startPos, scope, kind, objects) {
    value = unwrap(value);
    if (isFn(value)) { readFunction(value, name, qualifiedName, startPos, kind, scope, kind === 'function'); return true; }
    if (value && value.kind === SK.ClassExpression) { readClass(value, name, qualifiedName, startPos, scope); return true; }
    if (objects && value && value.kind === SK.ObjectLiteralExpression) { readObject(value, qualifiedName, scope); return true; }
    return false;
  }

  function readTypeMembers(owner, members) {
    const scope = { owner, returnTarget: null, thisOwner: null };
    for (const m of members) {
      const n = m.name ? propName(m.name) : null;
      switch (m.kind) {
        case SK.PropertySignature: newDef('field', n, owner.qualifiedName + '.' + n, start(m), m.end, scope); break;
        case SK.MethodSignature: newDef('method', n, owner.qualifiedName + '.' + n, start(m), m.end, scope); break;
        case SK.GetAccessor: case SK.SetAccessor: newDef('property', n, owner.qualifiedName + '.' + n, start(m), m.end, scope); break;
        default: break;
      }
    }
  }

  function readModule(node, scope, startPos) {
    const name = node.name.kind === SK.Identifier ? node.name.text : node.name.text;
    const d = newDef('namespace', name, prefix(scope) + name, startPos, node.end, scope);
    const inner = { owner: d, returnTarget: null, thisOwner: null };
    if (node.body && node.body.kind === SK.ModuleDeclaration) readModule(node.body, inner, start(node.body.name));
    else if (node.body) for (const s of node.body.statements) walk(s, inner);
  }

  // Calls: the callee's text (type arguments are not part of it); a function or class expression called is not counted.
  function recordCall(callee, scope) {
    const inner = unwrap(callee);
    if (!scope.owner || isFn(inner) || (inner && inner.kind === SK.ClassExpression) || callee.kind === SK.ImportKeyword) return;
    const key = normalize(text.slice(start(callee), callee.end));
    const seen = scope.owner.calls.get(key);
    if (seen) seen.count++; else scope.owner.calls.set(key, { line: line(start(callee)), count: 1 });
  }

  function walk(node, scope) {
    if (!node) return;
    switch (node.kind) {
      case SK.CallExpression: case SK.NewExpression:
        recordCall(node.expression, scope);
        break;
      case SK.FunctionDeclaration: {
        const n = node.name ? node.name.text : 'default';
        readFunction(node, n, prefix(scope) + n, start(node), 'function', scope, true);
        return;
      }
      case SK.ClassDeclaration: {
        const n = node.name ? node.name.text : 'default';
        readClass(node, n, prefix(scope) + n, start(node), scope);
        return;
      }
      case SK.ClassExpression:
        if (node.name) readClass(node, node.name.text, prefix(scope) + node.name.text, start(node), scope);
        else readClass(node, 'class', prefix(scope) + 'class', start(node), scope, false);
        return;
      case SK.InterfaceDeclaration: {
        const d = newDef('interface', node.name.text, prefix(scope) + node.name.text, start(node), node.end, scope);
        readTypeMembers(d, node.members);
        return;
      }
      case SK.TypeAliasDeclaration:
        newDef('type_alias', node.name.text, prefix(scope) + node.name.text, start(node), node.end, scope);
        return;
      case SK.EnumDeclaration: {
        const d = newDef('enum', node.name.text, prefix(scope) + node.name.text, start(node), node.end, scope);
        const inner = { owner: d, returnTarget: null, thisOwner: null };
        for (const m of node.members) {
          const n = propName(m.name);
          newDef('enum_member', n, d.qualifiedName + '.' + n, start(m), m.end, inner);
          if (m.initializer) walk(m.initializer, inner);
        }
        return;
      }
      case SK.ModuleDeclaration:
        readModule(node, scope, start(node));
        return;
      case SK.VariableStatement: {
        let first = true;
        for (const d of node.declarationList.declarations) {
          const startPos = first ? start(node) : start(d);
          first = false;
          if (d.name.kind === SK.Identifier && d.initializer
            && readValue(d.initializer, d.name.text, prefix(scope) + d.name.text, startPos, scope, 'function', true)) continue;
          walk(d.name, scope);
          walk(d.initializer, scope);
        }
        return;
      }
      case SK.ExportAssignment:
        if (!node.isExportEquals && readValue(node.expression, 'default', 'default', start(node), scope, 'function', false)) return;
        break;
      case SK.BinaryExpression:
        if (node.operatorToken.kind === SK.EqualsToken) {
          const left = node.left;
          if (left.kind === SK.PropertyAccessExpression && !left.questionDotToken && left.expression.kind === SK.ThisKeyword
            && left.name.kind === SK.Identifier && scope.thisOwner) {
            const o = scope.thisOwner;
            if (readValue(node.right, left.name.text, o.qualifiedName + '.' + left.name.text, start(node), { ...scope, owner: o }, 'method', false)) return;
          }
          const target = memberPath(left);
          if (target !== null && readValue(node.right, target.slice(target.lastIndexOf('.') + 1), prefix(scope) + target, start(node), scope, 'function', true)) return;
        }
        break;
      case SK.ArrowFunction: case SK.FunctionExpression:
        for (const p of node.parameters) walk(p, scope);
        walk(node.body, { owner: scope.owner, returnTarget: null, thisOwner: node.kind === SK.ArrowFunction ? scope.thisOwner : null });
        return;
      case SK.ReturnStatement:
        if (scope.returnTarget && node.expression && isJsx(node.expression)) scope.returnTarget.returnsJsx = true;
        break;
      default: break;
    }
    ts.forEachChild(node, (c) => walk(c, scope));
  }

  for (const s of sf.statements) walk(s, { owner: null, returnTarget: null, thisOwner: null });

  const seen = new Map();
  const defs = [];
  const build = (d) => {
    const n = (seen.get(d.qualifiedName) ?? 0) + 1;
    seen.set(d.qualifiedName, n);
    const id = `${file}#${n === 1 ? d.qualifiedName : d.qualifiedName + '~' + n}`;
    const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const calls = [...d.calls.entries()].sort((a, b) => a[1].line - b[1].line || cmp(a[0], b[0])).map(([c, v]) => `${c}@${v.line}*${v.count}`).join(';');
    defs.push([id, d.kind, d.qualifiedName, `${d.startLine}-${d.endLine}`, `calls=${calls}`].join('|'));
    for (const c of [...d.children].sort((a, b) => a.startOffset - b.startOffset)) build(c);
  };
  for (const d of [...topLevel].sort((a, b) => a.startOffset - b.startOffset)) build(d);
  return defs;
}

function main() {
  const [root, ...args] = process.argv.slice(2);
  const paths = args.length ? args : fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = [];
  for (const file of paths) {
    let text = fs.readFileSync(path.join(root, file), 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let result;
    try {
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
      const diagnostics = sf.parseDiagnostics ?? [];
      if (diagnostics.length > 0) {
        const d = diagnostics[0];
        const lc = sf.getLineAndCharacterOfPosition(d.start ?? 0);
        result = { path: file, accepted: false, error: { line: lc.line + 1, column: lc.character + 1, reason: ts.flattenDiagnosticMessageText(d.messageText, ' ') } };
      } else {
        result = { path: file, accepted: true, definitions: extract(file, text, sf) };
      }
    } catch (e) {
      result = { path: file, accepted: false, error: { line: 0, column: 0, reason: `oracle failure: ${e.message}` } };
    }
    out.push(JSON.stringify(result));
  }
  process.stdout.write(out.join('\n') + '\n');
}

main();
