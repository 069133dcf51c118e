#!/usr/bin/env python3
"""Lists what redaction changed: every string that differs between a struct.json written with redaction off and one
written with it on (same input), with its module and rule, so false positives can be counted by eye.
Usage: redaction-findings.py OFF.json ON.json [--values]   (--values also prints the original text: local use only)"""
import json, re, sys

off, on = (json.load(open(p)) for p in sys.argv[1:3])
show = "--values" in sys.argv
marker = re.compile("\u00abredacted:([a-z0-9-]+)\u00bb")
found = []

def walk(a, b, module, where):
    if isinstance(a, dict):
        for k in a:
            walk(a[k], b.get(k), module, where + "/" + k)
    elif isinstance(a, list):
        for x, y in zip(a, b):
            walk(x, y, module, where)
    elif isinstance(a, str) and a != b:
        found.append((module, where, marker.findall(b), a, b))

for m_off, m_on in zip(off["modules"], on["modules"]):
    walk(m_off, m_on, m_off["path"], "")
defs = on["stats"]["definitions"]
print(f"{len(found)} strings changed in {len({f[0] for f in found})} modules; {defs} definitions; stats.redactions {on['stats'].get('redactions')}")
for module, where, rules, before, after in found:
    print(f"{module} {where}: {','.join(rules)}" + (f"\n    {before!r}\n -> {after!r}" if show else ""))
