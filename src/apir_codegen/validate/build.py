"""The model's parts from checked values: naming patterns, groups and functions.

Each string goes through the checks of its role (:mod:`.roles`); the
marshalling annotations through :mod:`.marshal`; combinations of flags that
contradict each other are reported here.
"""

from __future__ import annotations

from ..cdecl import CType, Param
from ..diagnostics import DiagnosticSink
from ..model import Function, Group, NamingPatterns
from . import collisions
from .limits import Limits
from .roles import RoleChecks
from .values import Entry, V

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ..model import Marshalling
    from .marshal import MarshalChecker


class Builder:
    """Builds the model's parts, reporting what is wrong with them."""

    def __init__(self, sink: DiagnosticSink, limits: Limits | None):
        self.sink = sink
        self.roles = RoleChecks(sink, limits)
        self._marshal: MarshalChecker | None = None
        self.base: Param | None = None

    @property
    def marshal(self) -> MarshalChecker:
        """The checks of the marshalling annotations, loaded when a spec has some (most have none)."""
        if self._marshal is None:
            from .marshal import MarshalChecker

            self._marshal = MarshalChecker(self.sink, self.roles)
        return self._marshal

    @property
    def marshalling(self) -> Marshalling | None:
        """Where the generated marshalling code goes; None when the spec generates none."""
        return self._marshal.config if self._marshal is not None else None

    def naming(self, value: V | None) -> tuple[NamingPatterns | None, list[Entry]]:
        """The naming patterns, and the overrides whose handler name is valid."""
        if value is None:
            return None, []
        fields: dict[str, Entry] = value.value
        check = self.roles.check
        prefixes = []
        for key in ("enum_prefix", "backend_function_prefix", "frontend_function_prefix"):
            entry = fields.get(key)
            prefixes.append(check(entry.value, key, "in 'naming_patterns'") if entry and entry.value else None)
        base = None
        base_entry = fields.get("frontend_base_param")
        if base_entry is not None and base_entry.value is not None:
            base = check(base_entry.value, "frontend_base_param", "in 'naming_patterns'")
        overrides: list[Entry] = []
        override_entry = fields.get("backend_function_overrides")
        if override_entry is not None and override_entry.value is not None:
            for entry in override_entry.value.value:
                if entry.value is not None and check(entry.value, "handler name", f"for override '{entry.key}'"):
                    overrides.append(entry)
        enum_prefix, backend_prefix, frontend_prefix = prefixes
        if enum_prefix is None or backend_prefix is None or frontend_prefix is None or base is None:
            return None, overrides
        return (
            NamingPatterns(
                enum_prefix=enum_prefix,
                backend_function_prefix=backend_prefix,
                frontend_function_prefix=frontend_prefix,
                frontend_base_param=base,
                backend_function_overrides=tuple((e.key, e.value.value) for e in overrides if e.value),
            ),
            overrides,
        )

    def group(self, entry: Entry) -> tuple[Group | None, bool]:
        """A group with its valid functions (None when its value is not a group), and whether all of it is valid."""
        if entry.value is None:
            return None, False
        fields: dict[str, Entry] = entry.value.value
        ok = True
        desc_entry = fields.get("group_description")
        description = ""
        if desc_entry is None or desc_entry.value is None:
            ok = False
        else:
            checked = self.roles.check(desc_entry.value, "group_description", f"of group '{entry.key}'")
            if checked is None:
                ok = False
            else:
                description = checked
        funcs: list[Function] = []
        fentry = fields.get("functions")
        for item in fentry.value.value if fentry and fentry.value else []:
            func = self.function(entry.key, item)
            if func is None:
                ok = False
                continue
            extra = item.value.value.get("frontend_extra_params") if item.value and item.value.value else None
            collisions.param_names(self.sink, func, self.base, extra.value if extra else None)
            funcs.append(func)
        if fentry is None or fentry.value is None:
            ok = False
        return Group(entry.key, description, entry.key_loc, tuple(funcs)), ok

    def function(self, group: str, entry: Entry) -> Function | None:
        where = f"in function '{group}.{entry.key}'"
        value = entry.value
        if value is None:
            return None
        fields: dict[str, Entry] = value.value or {}
        ok = True

        def flag(name: str, default: bool) -> bool:
            fld = fields.get(name)
            return default if fld is None or fld.value is None else bool(fld.value.value)

        enabled = flag("enabled", True)
        deprecated = flag("deprecated", False)
        retired = flag("retired", False)
        return_type = CType(("void",))
        return_source = None
        ret = fields.get("frontend_return")
        if ret is not None:
            if ret.value is None:
                ok = False
            else:
                parsed = self.roles.check(ret.value, "return type", where)
                if parsed is None:
                    ok = False
                else:
                    return_type, return_source = parsed, ret.value.value
        params: list[Param] = []
        extra = fields.get("frontend_extra_params")
        if extra is not None:
            if extra.value is None:
                ok = False
            else:
                for item in extra.value.value:
                    if item is None:
                        ok = False
                        continue
                    param = self.roles.check(item, "parameter", where)
                    if param is None:
                        ok = False
                    else:
                        params.append(param)
        if not enabled and deprecated:
            dep = fields["deprecated"]
            self.sink.warning(
                f"function '{group}.{entry.key}' is both disabled and deprecated",
                dep.key_loc,
                hint="a disabled function is left out entirely, so 'deprecated' has no effect",
            )
        if retired and not enabled:
            self.sink.error(
                f"function '{group}.{entry.key}' is both disabled and retired",
                fields["retired"].key_loc,
                hint="retired keeps the command's number reserved, disabled leaves it out: choose one",
            )
            ok = False
        elif retired and deprecated:
            self.sink.warning(
                f"function '{group}.{entry.key}' is both deprecated and retired",
                fields["deprecated"].key_loc,
                hint="a retired command has no handler at all, so 'deprecated' has no effect",
            )
        marshal = None
        marshal_entry = fields.get("marshal")
        if marshal_entry is not None and ok:
            status = "disabled" if not enabled else "retired" if retired else "deprecated" if deprecated else "active"
            items = extra.value.value if extra is not None and extra.value is not None else []
            marshal = self.marshal.function(
                f"{group}.{entry.key}", marshal_entry, tuple(params), items, return_type, status, self.base
            )
            ok = marshal is not None
        if not ok:
            return None
        return Function(
            group=group,
            name=entry.key,
            location=entry.key_loc,
            enabled=enabled,
            deprecated=deprecated,
            retired=retired,
            return_type=return_type,
            return_source=return_source,
            params=tuple(params),
            marshal=marshal,
        )
