"""The registry of statements: entry points of the group ``pactools.statements``, and
statements loaded from a user's file or module (``pactools verify --load``)."""
from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path

from ..statement import Statement, StatementError

GROUP = "pactools.statements"
_BUILTIN_DIST = "pactools"
#: pactools' own entry points, used only when the package metadata is not installed
#: (a source checkout put on sys.path by hand)
_BUILTIN_FALLBACK = ("pactools.theorems.awasthi2024", "pactools.theorems.baykal2022")

_REGISTRY: dict = {}
_ALIASES: dict = {}
_LOADED = False
_FILES: dict = {}      # resolved path -> the statements it defined (loading twice is a no-op)


def statements_in(obj):
    """The statements an entry point or module provides: a Statement, a list of them,
    or a module with ``STATEMENTS`` (else every Statement among its attributes)."""
    if isinstance(obj, Statement):
        return [obj]
    if isinstance(obj, (list, tuple)):
        out = [s for s in obj if isinstance(s, Statement)]
        if len(out) != len(obj):
            raise StatementError(f"a statement list holds non-statements: {obj!r}")
        return out
    if hasattr(obj, "STATEMENTS"):
        return statements_in(list(obj.STATEMENTS))
    return [v for v in vars(obj).values() if isinstance(v, Statement)]


def add(statement, source="built in"):
    """Register ``statement`` under its id and aliases; a clash is an error."""
    if not isinstance(statement, Statement):
        raise StatementError(f"only Statement objects can be registered; got {statement!r}")
    for key in (statement.id, *statement.aliases):
        if key in _ALIASES and _REGISTRY[_ALIASES[key]] is not statement:
            other = _REGISTRY[_ALIASES[key]]
            raise StatementError(f"statement {statement.id!r}: id {key!r} is already taken by "
                                 f"{other.id!r} ({other.source})")
    statement.source = source
    for key in (statement.id, *statement.aliases):
        _ALIASES[key] = statement.id
    _REGISTRY[statement.id] = statement
    return statement


def _ensure_loaded():
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    eps = list(metadata.entry_points(group=GROUP))
    names = {ep.value.split(":")[0] for ep in eps}
    for mod in _BUILTIN_FALLBACK:
        if mod not in names:
            for st in statements_in(importlib.import_module(mod)):
                add(st, "built in")
    for ep in sorted(eps, key=lambda e: (e.dist is None or e.dist.name != _BUILTIN_DIST,
                                         e.name)):
        dist = ep.dist.name if ep.dist is not None else "?"
        try:
            obj = ep.load()
        except Exception as e:   # a broken plug-in must not hide the others
            raise StatementError(f"entry point {ep.name!r} of {dist} ({ep.value}) failed to "
                                 f"load: {type(e).__name__}: {e}") from e
        source = "built in" if dist == _BUILTIN_DIST else f"package {dist}"
        for st in statements_in(obj):
            add(st, source)


def load(target):
    """Load statements from a ``.py`` file or an importable module name; returns them."""
    _ensure_loaded()
    text = str(target)
    path = Path(text)
    if text.endswith(".py") or path.exists():
        if not path.is_file():
            raise StatementError(f"--load: no such file {text!r}")
        if str(path.resolve()) in _FILES:
            return _FILES[str(path.resolve())]
        name = f"pactools_user_{abs(hash(str(path.resolve())))}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as e:
            del sys.modules[name]
            raise StatementError(f"--load {text}: importing it raised {type(e).__name__}: "
                                 f"{e}") from e
        source = f"file {path}"
    else:
        try:
            module = importlib.import_module(text)
        except Exception as e:
            raise StatementError(f"--load {text}: not a file, and importing it as a module "
                                 f"raised {type(e).__name__}: {e}") from e
        source = f"module {text}"
    found = statements_in(module)
    if not found:
        raise StatementError(f"--load {text}: it defines no Statement")
    for st in found:
        if _REGISTRY.get(st.id) is not st:
            add(st, source)
    if source.startswith("file "):
        _FILES[str(path.resolve())] = found
    return found


def all_ids():
    _ensure_loaded()
    return list(_REGISTRY)


def resolve(name):
    """The canonical id for a name or alias, or ``KeyError`` listing the known ones."""
    _ensure_loaded()
    key = str(name).strip()
    if key in _ALIASES:
        return _ALIASES[key]
    # "4.2" names an item of both papers: answer with the candidates, each with its item
    same = sorted({i for a, i in _ALIASES.items() if a.split(":", 1)[-1] == key})
    if same:
        which = "; ".join(f"{i} ({_REGISTRY[i].paper}, {_REGISTRY[i].item})" for i in same)
        raise KeyError(f"theorem {name!r} is {'ambiguous' if len(same) > 1 else 'not an id'}: "
                       f"did you mean {which}? (give the paper prefix)")
    import difflib
    near = difflib.get_close_matches(key, sorted(_ALIASES), n=4, cutoff=0.6)
    raise KeyError(f"unknown theorem {name!r}"
                   + (f"; nearest: {', '.join(near)}" if near else "")
                   + " (`pactools list` shows every id)")


def get(name):
    return _REGISTRY[resolve(name)]
