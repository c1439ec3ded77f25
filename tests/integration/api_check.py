#!/usr/bin/python3
"""The API against its OpenAPI document (docs/openapi.json).

api_check.py spec SPEC       the document: OpenAPI 3.1's structure, each
                             schema valid JSON Schema 2020-12, every $ref
                             found, every path's {parameters} declared;
                             with openapi_spec_validator where Debian
                             ships it (trixie), that too.
api_check.py log SPEC DIR    every exchange test_api.sh kept in DIR
                             (N.meta: "METHOD PATH STATUS CONTENT-TYPE",
                             N.req, N.resp): its route and status are in
                             the document, its response body (and a
                             request answered 2xx) valid against it.
Exit 1 with each problem on stderr.
"""
import glob
import json
import os
import re
import sys

import jsonschema
from jsonschema import Draft202012Validator

problems = []


def problem(msg):
    problems.append(msg)


def refs(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                out.append(v)
            else:
                refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def resolve(doc, ref):
    if not ref.startswith("#/"):
        return None
    node = doc
    for part in ref[2:].split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_spec(doc):
    if not re.fullmatch(r"3\.1\.\d+", str(doc.get("openapi"))):
        problem("openapi: not 3.1.x")
    info = doc.get("info", {})
    if not info.get("title") or not info.get("version"):
        problem("info: title and version needed")
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            problem("schema %s: %s" % (name, e.message))
    found = []
    refs(doc, found)
    for r in found:
        if resolve(doc, r) is None:
            problem("$ref %s: not found" % r)
    for path, item in doc.get("paths", {}).items():
        if not path.startswith("/"):
            problem("path %s: not /..." % path)
        want = set(re.findall(r"{(\w+)}", path))
        for method, op in item.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                problem("%s: %s is not a method" % (path, method))
                continue
            have = {p["name"] for p in op.get("parameters", [])
                    if p.get("in") == "path"}
            if have != want:
                problem("%s %s: path parameters %s, not %s" %
                        (method, path, sorted(have), sorted(want)))
            if not op.get("responses"):
                problem("%s %s: no responses" % (method, path))
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    try:
        validate(doc)
    except Exception as e:  # its own error types vary by version
        problem("openapi_spec_validator: %s" % e)


def route(doc, path):
    for pattern, item in doc["paths"].items():
        rx = "^" + re.sub(r"{\w+}", r"[^/]+", pattern) + "$"
        if re.match(rx, path):
            return pattern, item
    return None, None


def validate(doc, schema, value, what):
    full = dict(schema)
    full["components"] = doc["components"]
    try:
        Draft202012Validator(full).validate(value)
    except jsonschema.ValidationError as e:
        problem("%s: %s at %s" % (what, e.message, list(e.absolute_path)))


def check_exchange(doc, x):
    path = x["path"].split("?")[0]
    what = "%s %s -> %s" % (x["method"], x["path"], x["status"])
    pattern, item = route(doc, path)
    if pattern is None:
        if x["status"] != 404:
            problem("%s: no such path in the document" % what)
        return
    op = item.get(x["method"].lower())
    if op is None:
        if x["status"] != 405:
            problem("%s: no such operation" % what)
        return
    resp = op["responses"].get(str(x["status"]))
    if resp is None:
        problem("%s: status not in the document" % what)
        return
    ctype = (x.get("ctype") or "").split(";")[0].strip()
    content = resp.get("content", {})
    if ctype not in content:
        problem("%s: Content-Type %s, the document says %s" %
                (what, ctype, sorted(content)))
        return
    try:
        body = json.loads(x["body"])
    except ValueError:
        problem("%s: the response is not JSON" % what)
        return
    validate(doc, content[ctype]["schema"], body, what + " response")
    req = x.get("request")
    if 200 <= x["status"] < 300 and req and "requestBody" in op:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        try:
            validate(doc, schema, json.loads(req), what + " request")
        except ValueError:
            problem("%s: answered 2xx to a body that is not JSON" % what)


def main():
    doc = json.load(open(sys.argv[2]))
    if sys.argv[1] == "spec":
        check_spec(doc)
    else:
        n = 0
        for meta in sorted(glob.glob(os.path.join(sys.argv[3], "*.meta"))):
            base = meta[:-5]
            method, path, status, ctype = (open(meta).read().split(" ", 3)
                                           + [""])[:4]
            req = open(base + ".req", "rb").read() if os.path.exists(
                base + ".req") else b""
            check_exchange(doc, {
                "method": method, "path": path, "status": int(status),
                "ctype": ctype.strip(), "body": open(base + ".resp",
                                                    "rb").read(),
                "request": req.decode("utf-8", "replace") if req else None})
            n += 1
        if n == 0:
            problem("no exchanges logged")
    for p in problems:
        print(p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
