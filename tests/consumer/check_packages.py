#!/usr/bin/env python3
"""Checks every package in a folder feed as nuget.org would show it: a readme that is declared and has only absolute
links, its own description and tags, the licence, the repository URL and commit, and a symbol package whose PDB
carries Source Link to that commit; LlmStruct.Core carries the JSON Schema. Prints one 'ok: …' or 'FAIL: …' line per
check and exits 1 on any failure.

Usage: check_packages.py FEED REPO_ROOT COMMIT   (COMMIT may be empty where git is not available)
"""
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

feed, repo_root, commit = sys.argv[1], sys.argv[2], sys.argv[3]
repository = "https://github.com/llmstruct/llmstruct"
failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures += 1


packages = sorted(f for f in os.listdir(feed) if f.endswith(".nupkg"))
check(len(packages) > 0, f"the feed has packages ({len(packages)})")
descriptions = {}
for name in packages:
    pkg_id = re.sub(r"\.\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\.nupkg$", "", name)
    with zipfile.ZipFile(os.path.join(feed, name)) as z:
        nuspec_name = next(n for n in z.namelist() if n.endswith(".nuspec") and "/" not in n)
        root = ET.fromstring(z.read(nuspec_name))
        ns = {"n": root.tag[1:root.tag.index("}")]}
        meta = root.find("n:metadata", ns)

        def text(tag):
            el = meta.find(f"n:{tag}", ns)
            return "" if el is None or el.text is None else el.text.strip()

        readme = text("readme")
        check(readme == "README.md" and "README.md" in z.namelist(), f"{pkg_id}: declares and carries README.md")
        if "README.md" in z.namelist():
            body = z.read("README.md").decode("utf-8")
            links = re.findall(r"\]\(([^)\s]+)", body)
            relative = [l for l in links if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", l) and not l.startswith("#")]
            check(links and not relative, f"{pkg_id}: readme links are absolute ({len(links)} links; relative: {relative})")
            pinned = [l for l in links if l.startswith(repository + "/blob/")]
            if commit:
                check(all(f"/blob/{commit}/" in l for l in pinned),
                      f"{pkg_id}: readme links into the repository name commit {commit[:12]}")
        descriptions[pkg_id] = text("description")
        tags = text("tags").split()
        check("llmstruct" in tags and len(tags) > 5, f"{pkg_id}: tags {tags}")
        lic = meta.find("n:license", ns)
        check(lic is not None and lic.get("type") == "expression" and lic.text == "MIT", f"{pkg_id}: licence MIT")
        repo = meta.find("n:repository", ns)
        check(repo is not None and repo.get("url") == repository and repo.get("type") == "git",
              f"{pkg_id}: repository {None if repo is None else repo.get('url')}")
        if commit:
            check(repo is not None and repo.get("commit") == commit, f"{pkg_id}: repository commit is {commit[:12]}")
        dlls = [n for n in z.namelist() if n.startswith("lib/") and n.endswith(".dll")]
        check(len(dlls) == 1 and dlls[0] == f"lib/net10.0/{pkg_id}.dll", f"{pkg_id}: one library {dlls}")
        if pkg_id == "LlmStruct.Core":
            shipped = z.read("schema/struct.schema.json") if "schema/struct.schema.json" in z.namelist() else b""
            with open(os.path.join(repo_root, "schema", "struct.schema.json"), "rb") as f:
                check(shipped == f.read(), "LlmStruct.Core: carries schema/struct.schema.json, same bytes as the repository's")
    symbols = os.path.join(feed, name[:-len(".nupkg")] + ".snupkg")
    check(os.path.exists(symbols), f"{pkg_id}: symbol package {os.path.basename(symbols)}")
    if os.path.exists(symbols):
        with zipfile.ZipFile(symbols) as z:
            pdbs = [n for n in z.namelist() if n.endswith(".pdb")]
            pdb = z.read(pdbs[0]) if pdbs else b""
        # The Source Link JSON is stored uncompressed in the portable PDB; paths are mapped to /_/ by CI builds.
        target = f"https://raw.githubusercontent.com/llmstruct/llmstruct/{commit or ''}".encode()
        check(b'"/_/*"' in pdb and target in pdb, f"{pkg_id}: PDB has Source Link to {target.decode()}… and no build paths")
values = list(descriptions.values())
check(all(values) and len(set(values)) == len(values), "every package has its own description")
sys.exit(1 if failures else 0)
