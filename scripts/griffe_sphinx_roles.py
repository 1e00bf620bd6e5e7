"""A Griffe extension for the API reference: the docstrings' reStructuredText markup as Markdown.

The package's docstrings are written for ``help()`` and doctest, in reStructuredText: Sphinx
cross-reference roles (``:func:`~a.b.c```), double-backtick literals and bare ``>>>`` examples.
mkdocstrings renders Markdown, so ``mkdocs.yml`` loads this extension, which rewrites every
docstring once its package is loaded:

* ``:func:`~a.b.c``` (and ``:class:``, ``:meth:``, ``:mod:``, ``:data:``, ``:attr:``,
  ``:exc:``, ``:obj:``, ``:const:``) becomes an autorefs link to ``a.b.c`` titled ``c`` (the whole
  path without ``~``); relative targets (``.readers``, ``TaskFamily.verify_row``) are resolved in
  the docstring's scope. The link is *optional*: a target that the reference does not render is
  shown as code, not as a broken link;
* ````literal```` becomes ```literal```;
* a line ending in the literal-block marker ``::`` ends in ``:`` (the indented block after it is
  a Markdown code block already);
* a run of ``>>>``/``...`` lines with their output becomes a ``pycon`` code block (otherwise
  Markdown reads ``>>>`` as nested quotes).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import griffe

ROLE = re.compile(
    r":(?:py:)?(?:func|meth|class|mod|data|attr|exc|obj|const):"
    r"`(?P<tilde>~?)(?P<target>[^`<]+?)(?:\s*<(?P<explicit>[^>`]+)>)?`"
)
LITERAL = re.compile(r"(?<!`)``(?P<code>[^`]+?)``(?!`)")
PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.)( |$)")


def _resolve(obj: griffe.Object, target: str) -> str:
    """The full path of ``target`` as seen from ``obj``'s docstring (best effort)."""
    if target.startswith("."):
        module = obj if obj.is_module else obj.module
        depth = len(target) - len(target.lstrip("."))
        parts = module.path.split(".")
        if not (module.is_package or module.is_init_module):
            parts = parts[:-1]
        base = parts[: len(parts) - depth + 1]
        return ".".join([*base, target.lstrip(".")])
    head, _, rest = target.partition(".")
    for scope in (obj, obj.parent):
        if scope is None:
            continue
        try:
            resolved = scope.resolve(head)
        except Exception:  # griffe raises NameResolutionError (and others on odd input)
            continue
        return f"{resolved}.{rest}" if rest else resolved
    return target


def _link(obj: griffe.Object, match: re.Match[str]) -> str:
    target = (match["explicit"] or match["target"]).strip().removesuffix("()")
    shown = match["target"].strip() if match["explicit"] else target
    if match["tilde"]:
        shown = shown.rsplit(".", 1)[-1]
    identifier = _resolve(obj, target)
    code = f"<code>{escape(shown)}</code>"
    return f'<autoref identifier="{escape(identifier)}" optional>{code}</autoref>'


def _fence_doctests(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines()
    index = 0
    fenced = False
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or not line.lstrip().startswith(">>>"):
            out.append(line)
            index += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index].removeprefix(indent))
            index += 1
        out += [f"{indent}```pycon", *(f"{indent}{b}" for b in block), f"{indent}```"]
    return "\n".join(out)


def markdown(obj: griffe.Object, text: str) -> str:
    """``text``, a docstring of ``obj``, with its reStructuredText markup as Markdown."""
    text = _fence_doctests(text)
    parts = re.split(r"(```.*?```)", text, flags=re.S)  # leave code blocks alone
    for number, part in enumerate(parts):
        if number % 2 == 0:
            part = ROLE.sub(lambda match: _link(obj, match), part)
            part = LITERAL.sub(r"`\g<code>`", part)
            parts[number] = re.sub(r"(\S)::$", r"\1:", part, flags=re.M)  # rST literal-block marker
    return "".join(parts)


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring of a loaded package (see the module doc)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj, obj.docstring.value)
            stack.extend(member for member in obj.members.values() if not member.is_alias)
