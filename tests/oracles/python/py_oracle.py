#!/usr/bin/env python3
"""Differential oracle: reads file paths (one per line) from a list file and writes one JSON object per line
describing what CPython's ast.parse sees, in LlmStruct's model semantics (see docs/python-parser.md)."""
import ast
import json
import sys


def norm(text):
    """Whitespace-normalizes source text: backslash-newlines and whitespace runs become one space."""
    if text is None:
        return None
    text = text.replace("\\\r\n", " ").replace("\\\n", " ").replace("\\\r", " ")
    return " ".join(text.split())


def first_paragraph(doc):
    if doc is None or not doc.strip():
        return None
    out = []
    for raw in doc.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip(" \t\n\r\f\v")
        if not line:
            if out:
                break
            continue
        out.append(line)
    return " ".join(out) if out else None


def docstring(body):
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return first_paragraph(body[0].value.value)
    return None


class Oracle:
    def __init__(self, source):
        self.source = source
        # Lines as ast.get_source_segment splits them (no form feed splitting), encoded once.
        self.lines = [l.encode("utf-8") for l in ast._splitlines_no_ff(source)]

    def seg(self, node):
        if node is None:
            return None
        try:
            lineno, end_lineno = node.lineno - 1, node.end_lineno - 1
            col, end_col = node.col_offset, node.end_col_offset
        except AttributeError:
            return norm(ast.unparse(node))
        if end_lineno is None or end_col is None:
            return norm(ast.unparse(node))
        if lineno == end_lineno:
            return norm(self.lines[lineno][col:end_col].decode("utf-8", "replace"))
        first = self.lines[lineno][col:].decode("utf-8", "replace")
        last = self.lines[end_lineno][:end_col].decode("utf-8", "replace")
        middle = [l.decode("utf-8", "replace") for l in self.lines[lineno + 1:end_lineno]]
        return norm("".join([first] + middle + [last]))

    def params(self, args):
        out = []
        defaults = [None] * (len(args.posonlyargs) + len(args.args) - len(args.defaults)) + list(args.defaults)
        i = 0
        for a in args.posonlyargs:
            out.append([a.arg, "positional_only", self.seg(a.annotation), self.seg(defaults[i])]); i += 1
        for a in args.args:
            out.append([a.arg, "regular", self.seg(a.annotation), self.seg(defaults[i])]); i += 1
        if args.vararg:
            out.append([args.vararg.arg, "var_positional", self.seg(args.vararg.annotation), None])
        for a, d in zip(args.kwonlyargs, args.kw_defaults):
            out.append([a.arg, "keyword_only", self.seg(a.annotation), self.seg(d)])
        if args.kwarg:
            out.append([args.kwarg.arg, "var_keyword", self.seg(args.kwarg.annotation), None])
        return out

    def calls(self, nodes):
        found = set()
        stack = list(nodes)
        while stack:
            n = stack.pop()
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                # the nested definition's decorators, defaults, annotations and bases belong to this scope
                stack.extend(n.decorator_list)
                if isinstance(n, ast.ClassDef):
                    stack.extend(n.bases)
                    stack.extend(k.value for k in n.keywords)
                else:
                    a = n.args
                    stack.extend(a.defaults)
                    stack.extend(d for d in a.kw_defaults if d is not None)
                    for p in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]:
                        if p is not None and p.annotation is not None:
                            stack.append(p.annotation)
                    if n.returns is not None:
                        stack.append(n.returns)
                continue
            if isinstance(n, ast.Call):
                found.add(self.seg(n.func))
            stack.extend(ast.iter_child_nodes(n))
        return sorted(found)

    def defs(self, body, prefix, in_class, out):
        for stmt in body:
            self.def_stmt(stmt, prefix, in_class, out)

    def def_stmt(self, stmt, prefix, in_class, out):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            q = prefix + stmt.name
            start = min([stmt.lineno] + [d.lineno for d in stmt.decorator_list])
            d = {"q": q, "start": start, "end": stmt.end_lineno,
                 "decorators": [self.seg(x) for x in stmt.decorator_list],
                 "doc": docstring(stmt.body)}
            if isinstance(stmt, ast.ClassDef):
                d["kind"] = "class"
                d["bases"] = [self.seg(b) for b in stmt.bases] + \
                             [("**" if k.arg is None else k.arg + "=") + self.seg(k.value) for k in stmt.keywords]
                d["params"] = []
            else:
                d["kind"] = "method" if in_class else "function"
                d["bases"] = []
                d["params"] = self.params(stmt.args)
                d["returns"] = self.seg(stmt.returns)
                d["async"] = isinstance(stmt, ast.AsyncFunctionDef)
            d["calls"] = self.calls(stmt.body)
            out.append(d)
            self.defs(stmt.body, q + ".", isinstance(stmt, ast.ClassDef), out)
            return
        # definitions inside compound statements still belong to this scope
        for field in ("body", "orelse", "finalbody"):
            self.defs(getattr(stmt, field, None) or [], prefix, in_class, out)
        for h in getattr(stmt, "handlers", None) or []:
            self.defs(h.body, prefix, in_class, out)
        for c in getattr(stmt, "cases", None) or []:
            self.defs(c.body, prefix, in_class, out)


def imports(tree):
    out = []
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.Import):
            for a in stmt.names:
                out.append({"kind": "import", "module": a.name, "alias": a.asname, "level": 0,
                            "line": stmt.lineno, "names": []})
        elif isinstance(stmt, ast.ImportFrom):
            out.append({"kind": "from", "module": stmt.module or "", "alias": None, "level": stmt.level,
                        "line": stmt.lineno, "names": [[a.name, a.asname] for a in stmt.names]})
    out.sort(key=lambda i: (i["line"], i["module"]))
    return out


def analyse(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as e:
        return {"path": path, "ok": False, "line": getattr(e, "lineno", 0) or 0,
                "col": getattr(e, "offset", 0) or 0, "msg": getattr(e, "msg", str(e))}
    import io
    import tokenize
    encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    source = data.decode(encoding)
    if source.startswith("\ufeff"):
        source = source[1:]
    o = Oracle(source)
    out = []
    o.defs(tree.body, "", False, out)
    return {"path": path, "ok": True, "doc": docstring(tree.body), "defs": out, "imports": imports(tree)}


def main():
    list_file, out_file = sys.argv[1], sys.argv[2]
    with open(list_file, encoding="utf-8") as f:
        paths = [p.rstrip("\n") for p in f if p.strip()]
    with open(out_file, "w", encoding="utf-8") as out:
        for p in paths:
            try:
                r = analyse(p)
            except RecursionError:
                r = {"path": p, "ok": False, "line": 0, "col": 0, "msg": "recursion"}
            out.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
