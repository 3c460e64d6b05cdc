"""Form widgets written in Python for the data-entry page.

The entry page shows a form per indicator, a few hundred widgets in all, and
Django draws each widget (and each option of a select or a radio list) by
rendering a template that includes another one. `WidgetRenderer` writes the
same HTML as Django's own widget templates (django/forms/templates/django/
forms/widgets/: input, textarea, select, radio and their options) directly,
character for character, in a fraction of the time; any other widget, or a
value of a type the templates would format differently (a number, a date),
goes to the templates as before. tests/reporting/test_entry.py compares both
on every input of the built-in frameworks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

WIDGETS = "django/forms/widgets/"


class _Unsupported(Exception):
    """A value the templates might format differently: let them draw it."""


def _text(value: Any) -> str:
    """`{{ value }}`: text escaped unless already safe."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        raise _Unsupported  # numbers and dates are localised by the templates
    return str(conditional_escape(value))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Unsupported
    text = str(value)  # what "%s" % value gives for text and whole numbers
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(" " + _text(name))
        if value is not True:
            out.append('="' + _formatted(value) + '"')
    return "".join(out)


# Each function returns what its template renders, to the last newline (an
# included template's trailing newline is part of the page, e.g. after each
# <option>); the renderer strips only the outermost result, as Django does.


def _input(w: Mapping[str, Any]) -> str:
    """input.html (text.html, hidden.html, checkbox.html... include it)."""
    value = "" if w["value"] is None else ' value="' + _formatted(w["value"]) + '"'
    return (
        f'<input type="{_text(w["type"])}" name="{_text(w["name"])}"{value}{_attrs(w["attrs"])}>\n'
    )


def _textarea(w: Mapping[str, Any]) -> str:
    value = _text(w["value"]) if w["value"] else ""
    return f'<textarea name="{_text(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>\n'


def _option(w: Mapping[str, Any]) -> str:
    """One option of a select or of a radio list, by its own template."""
    draw = _OPTIONS.get(w["template_name"])
    if draw is None:
        raise _Unsupported
    return draw(w)


def _select_option(w: Mapping[str, Any]) -> str:
    attrs = _attrs(w["attrs"])
    return f'<option value="{_formatted(w["value"])}"{attrs}>{_text(w["label"])}</option>\n'


def _input_option(w: Mapping[str, Any]) -> str:
    """input_option.html."""
    if not w["wrap_label"]:
        return _input(w) + "\n"
    for_id = w["attrs"].get("id")
    label_for = f' for="{_text(for_id)}"' if for_id else ""
    return f"<label{label_for}>{_input(w)} {_text(w['label'])}</label>\n"


def _radio_option(w: Mapping[str, Any]) -> str:
    """radio_option.html and checkbox_option.html: input_option.html and a newline."""
    return _input_option(w) + "\n"


def _select(w: Mapping[str, Any]) -> str:
    out = [f'<select name="{_text(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _multiple_input(w: Mapping[str, Any]) -> str:
    """multiple_input.html (radio.html and checkbox_select.html include it)."""
    attrs = w["attrs"]
    out = ["<div"]
    if attrs.get("id"):
        out.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        out.append(f' class="{_text(attrs["class"])}"')
    out.append(">")
    for group, options, _index in w["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            out.append("<div>\n    " + _option(option) + "</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


_OPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "radio_option.html": _radio_option,
    WIDGETS + "checkbox_option.html": _radio_option,
    WIDGETS + "input_option.html": _input_option,
}
_DRAW: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{WIDGETS + name: _input for name in ("input.html", "text.html", "hidden.html",
                                           "checkbox.html", "number.html", "email.html",
                                           "url.html", "password.html")},
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
    WIDGETS + "radio.html": _multiple_input,
    WIDGETS + "checkbox_select.html": _multiple_input,
    WIDGETS + "multiple_input.html": _multiple_input,
}  # fmt: skip


class WidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with the common widgets drawn in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        draw = _DRAW.get(template_name)
        widget = context.get("widget")
        if draw is not None and isinstance(widget, Mapping):
            try:
                return SafeString(draw(widget).strip())
            except (_Unsupported, KeyError):
                pass
        return mark_safe(super().render(template_name, context, request))


RENDERER = WidgetRenderer()
