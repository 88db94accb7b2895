#!/usr/bin/env python3
"""Writes one lab capture as a corpus case (tests/corpus/README.md gives the format).

The header's `expected` is what NemoClaw's TypeScript classifier answers for the
payload, by its rules as ../shared/reference/nemoclaw-behaviour.md states them (§a, §c),
so that parity stays visible; `expected-improved` is this project's answer, from the
run's own report, where the two differ.

usage: corpus_case.py CAPTURE_STEM CORPUS_DIR COMMIT
"""
import json
import re
import sys

stem, corpus, commit = sys.argv[1:4]
name = stem.rsplit("/", 1)[-1]
payload = open(stem + ".log", encoding="utf-8", errors="surrogateescape").read()
report = json.load(open(stem + ".json"))["diagnosis"]
status = open(stem + ".status").read().strip()
command = open(stem + ".command").read().strip()
kind = open(stem + ".case").read().strip()


def nemoclaw_kind(text):
    """NemoClaw's classifySandboxCreateFailure: its arms in order, first match wins."""
    low = text.lower()
    if "failed to read image export stream" in low or "timeout error" in low:
        return "image_transfer_timeout"
    if "connection reset by peer" in low:
        return "image_transfer_reset"
    tls = ["invalid peer certificate", "badsignature", "handshake verification failed", "certificate verify failed",
           "ssl certificate problem", "x509: certificate", "unknown authority"]
    if any(t in low for t in tls):
        return "tls_cert_mismatch"
    if "failed to upload image tar into container" in low or (
            "status code 404" in low and ("container does not exist" in low or "no container with name or id" in low)
            and "openshell-cluster-nemoclaw" in low):
        return "image_upload_container_missing"
    cdi = r"(cdi device injection failed|unresolvable cdi devices?)"
    if re.search(cdi + r"[^\n]*nvidia\.com/gpu", low) or re.search(r"nvidia\.com/gpu[^\n]*" + cdi, low):
        return "gpu_cdi_injection_failed"
    if plugin_denied(text):
        return "plugin_install_network_denied"
    if "created sandbox:" in low:
        return "sandbox_create_incomplete"
    return "unknown"


def plugin_denied(text):
    m = re.search(r"The command '[^']*openclaw plugins install[^']*'\s*returned a non-zero code", text, re.I)
    if not m:
        return False
    segment = text[:m.end()]
    packages = [p.lower() for p in re.findall(r"(?:npm:)?(@openclaw/[a-z0-9._-]+)", m.group(0), re.I)]
    npm = "\n".join(l for l in re.split(r"\r?\n", segment) if re.match(r"\s*npm error\b", l, re.I)).lower()
    correlated = any(c in npm for p in packages for c in (p, p.replace("/", "%2f"), p.replace("@", "%40").replace("/", "%2f")))
    network = re.search(r"npm error.*(?:enotfound|eai_again|econnrefused|etimedout|esockettimedout|network request.*failed|"
                        r"getaddrinfo|fetch failed|socket hang up|network timeout)", npm)
    return correlated and bool(network)


def nemoclaw_uploaded(text, kind):
    if kind == "sandbox_create_incomplete":
        return True
    return bool(re.search(r"\[progress\]\s+Uploaded to gateway", text, re.I) or
                re.search(r"Image [^\n\r\u2028\u2029]*available in the gateway", text, re.I))


def nemoclaw_built_ref(text):
    lines = re.split(r"\r\n|[\n\r\u2028\u2029]", text)
    for pattern in (r"^Successfully tagged\s+(\S+)", r"^\s*Built image\s+(\S+)"):
        joined = "\n".join(lines)
        m = re.search(pattern, joined, re.I | re.M)
        if m and not re.fullmatch(r"sha256:[0-9a-f]{64}", m.group(1), re.I):
            return m.group(1)
    return None


def bool_text(value):
    return "true" if value else "false"


theirs = nemoclaw_kind(payload)
their_uploaded = nemoclaw_uploaded(payload, theirs)
their_ref = nemoclaw_built_ref(payload)
ours_ref = report.get("built_image_ref")
header = [f"# source: lab-capture (OpenShell {commit}): {command}", f"# expected: {theirs}"]
if kind != theirs:
    header.append(f"# expected-improved: {kind}")
header += [f"# exit-status: {status}", "# classifier: sandbox-create",
           f"# expected-uploadedToGateway: {bool_text(their_uploaded)}"]
if report.get("uploaded_to_gateway") != their_uploaded:
    header.append(f"# expected-improved-uploadedToGateway: {bool_text(report.get('uploaded_to_gateway'))}")
header.append(f"# expected-builtImageRef: {their_ref or 'null'}")
if ours_ref != their_ref:
    header.append(f"# expected-improved-builtImageRef: {ours_ref or 'null'}")
header.append(f"# provenance: lab-capture (OpenShell {commit})")
header.append("# note: the real OpenShell CLI, gateway (Docker driver) and supervisor built from source and run by "
              "tests/lab/run.sh; both streams as `sandbox-triage run --log` kept them"
              + ("; the `sandbox container log:` lines are the failed sandbox container's own log, which `run` read"
                 if "\nsandbox container log: " in "\n" + payload else ""))
header.append(f"# expected-phase: {report.get('phase') or 'none'}")
header.append("# ---")
slug = re.sub(r"[^a-z0-9-]+", "-", name.lower())
with open(f"{corpus}/{kind}__lab-{slug}.log", "w", encoding="utf-8", errors="surrogateescape") as out:
    out.write("\n".join(header) + "\n" + payload.rstrip("\n") + "\n")
