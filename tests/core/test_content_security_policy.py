"""Pages forbid inline scripts, handlers and styles (Content Security Policy),
so a script injected into a page would not run. Behaviour lives in
static/dtis/js/app.js; the browser tests fail on any violation the policy
reports (tests/e2e/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "dtis" / "templates"


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


@pytest.mark.django_db
def test_pages_allow_scripts_and_styles_from_this_site_only():
    policy = _policy(Client().get("/dang-nhap/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


@pytest.mark.django_db
def test_a_signed_in_page_carries_the_policy_too(org):
    client = Client()
    client.force_login(org.reporter)
    assert "script-src 'self'" in client.get("/")["Content-Security-Policy"]


def test_no_template_holds_an_inline_script_handler_or_style():
    offenders = []
    inline_script = re.compile(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    style = re.compile(r"<style\b|\sstyle\s*=\s*[\"']|\shx-on", re.I)
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, style):
            for m in pattern.finditer(text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {m.group(0).strip()}")
    assert offenders == []
