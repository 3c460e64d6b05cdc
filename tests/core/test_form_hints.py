"""Every visible form field carries a short hint (issue 10): what to type, in which format."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms

import dtis

# (module, form, field) -> why the field is left without a hint.
EXCEPTIONS: dict[tuple[str, str, str], str] = {
    # Django's AuthenticationForm declares it; a hint next to a password box
    # has nothing to say that the label does not, and would only lengthen the
    # sign-in page.
    ("dtis.orgs.forms", "LoginForm", "password"): "nothing useful to add to 'Password'",
}


def form_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(dtis.__path__, prefix="dtis."):
        if info.name.rsplit(".", 1)[-1].startswith("forms"):
            names.append(info.name)
    return sorted(names)


def visible_fields() -> list[tuple[str, str, str, forms.Field]]:
    found = []
    for name in form_modules():
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, forms.BaseForm):
                continue
            for field_name, field in cls.base_fields.items():
                if not field.widget.is_hidden:
                    found.append((name, cls_name, field_name, field))
    return found


def test_the_walk_finds_the_forms_of_every_app():
    modules = form_modules()
    for expected in ("dtis.orgs.forms", "dtis.plans.forms", "dtis.reporting.forms_entry",
                     "dtis.appraisal.forms_explanations", "dtis.frameworks.forms"):  # fmt: skip
        assert expected in modules
    assert len(visible_fields()) > 100


def test_it_gives_every_visible_field_a_hint():
    missing = [
        f"{module}.{form}.{field}"
        for module, form, field, f in visible_fields()
        if not str(f.help_text).strip() and (module, form, field) not in EXCEPTIONS
    ]
    assert not missing, f"{len(missing)} fields without help_text:\n" + "\n".join(missing)


def test_no_hint_repeats_its_label():
    echoes = [
        f"{module}.{form}.{field}"
        for module, form, field, f in visible_fields()
        if f.help_text
        and f.label
        and str(f.help_text).strip(" .").lower() == str(f.label).strip(" .").lower()
    ]
    assert not echoes, "hints that only repeat the label:\n" + "\n".join(echoes)


def test_every_exception_still_names_a_real_field_without_a_hint():
    fields = {(m, c, n): f for m, c, n, f in visible_fields()}
    for key in EXCEPTIONS:
        assert key in fields, f"stale exception {key}"
        assert not fields[key].help_text, f"{key} has a hint now: drop the exception"
