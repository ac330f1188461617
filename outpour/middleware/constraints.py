"""Middleware constraints: where a middleware must sit in a route's stack, checked when the app is created.

A middleware declares ``constraints = MiddlewareConstraints(...)`` (an ``ASGIMiddleware`` subclass or instance, or any
middleware class, given directly or through ``DefineMiddleware``). Each route's stack is the middleware of the app,
then of its routers, controller and handler, outermost first; the app checks every stack it builds:

- ``before=(Other,)``: this middleware comes before (outside) every ``Other`` present;
- ``after=(Other,)``: it comes after (inside) every ``Other`` present;
- ``first=True`` / ``last=True``: it is the first (the app's first) or last (the handler's last) of the stack;
- ``unique=True``: the stack holds it once.

A class named in ``before``/``after`` stands for its instances and subclasses too; a forward reference
(``"package.module.Name"``) is imported when the app is created. A violation raises ``ConstraintViolationError``;
constraints no order can satisfy raise ``CycleError``. Both subclass ``MiddlewareConstraintError``, which a malformed
constraint raises.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Self, cast

from outpour.exceptions import OutpourException
from outpour.middleware._define import DefineMiddleware

if TYPE_CHECKING:
    from outpour.types import Middleware
    from outpour.types.composite_types import MiddlewareFactory

__all__ = [
    "ConstraintViolationError",
    "CycleError",
    "MiddlewareConstraintError",
    "MiddlewareConstraints",
    "MiddlewareForwardRef",
    "check_middleware_constraints",
]


class MiddlewareConstraintError(OutpourException):
    """A middleware constraint is malformed, names a middleware that cannot be imported, or is violated."""


class ConstraintViolationError(MiddlewareConstraintError):
    """A route's middleware stack breaks a constraint: a wrong order, position or a duplicate."""


class CycleError(MiddlewareConstraintError):
    """Constraints contradict each other: no order of the stack satisfies them all."""


@functools.cache
def _import(target: str) -> tuple[Any, str | None]:
    """The object at ``target``, or ``None`` and why it cannot be imported (cached: apps check every route)."""
    module_name, _, name = target.rpartition(".")
    if not module_name:
        return None, f"`{target}` is not a dotted path: write it as `package.module.Name`"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return None, f"cannot import `{target}`: {exc}"
    if not hasattr(module, name):
        return None, f"cannot import `{target}`: module `{module_name}` has no `{name}`"
    return getattr(module, name), None


@dataclasses.dataclass(frozen=True)
class MiddlewareForwardRef:
    """A middleware named by its import path, resolved when the app checks the constraints naming it.

    Args:
        target: The absolute import path, such as ``"package.module.SomeMiddleware"``.
        ignore_import_error: Drop the constraint naming it when it cannot be imported (an optional package), instead
            of raising.
    """

    target: str
    ignore_import_error: bool

    def resolve(self) -> Middleware | None:
        """Import the middleware.

        Returns:
            The middleware, or ``None`` when it cannot be imported and ``ignore_import_error`` is set.

        Raises:
            ImportError: It cannot be imported and ``ignore_import_error`` is not set.
        """
        value, problem = _import(self.target)
        if problem is None:
            return cast("Middleware", value)
        if self.ignore_import_error:
            return None
        raise ImportError(problem)


@dataclasses.dataclass(frozen=True)
class MiddlewareConstraints:
    """Where a middleware must sit in each route's middleware stack.

    Constraints are immutable: the ``apply_*`` and ``require_unique`` methods return a changed copy.

    Args:
        before: Middleware that, when present, must come after this one (closer to the handler): this one is
            applied before them. A class stands for its instances and subclasses.
        after: Middleware that, when present, must come before this one (closer to the app): this one is applied
            after them.
        first: This middleware must be the first of the stack (the app's first). Implies ``unique``.
        last: This middleware must be the last of the stack (the handler's last). Implies ``unique``.
        unique: ``True``: the stack may hold this middleware (or a subclass) once. ``None`` (not stated) is
            ``first or last``.

    Raises:
        MiddlewareConstraintError: The constraints contradict themselves (``first`` and ``last``, ``first`` with
            ``after`` or ``unique=False``, ``last`` with ``before`` or ``unique=False``).
    """

    before: tuple[MiddlewareForwardRef | Middleware | MiddlewareFactory, ...] = ()
    after: tuple[MiddlewareForwardRef | Middleware | MiddlewareFactory, ...] = ()
    first: bool = False
    last: bool = False
    unique: bool | None = None

    def __post_init__(self) -> None:
        # A frozen dataclass: normalise through object.__setattr__ (lists become tuples, strings forward references).
        object.__setattr__(self, "before", tuple(_reference(item) for item in self.before))
        object.__setattr__(self, "after", tuple(_reference(item) for item in self.after))
        for rule, problem in self._contradictions():
            raise MiddlewareConstraintError(f"{rule}: `{_show(self)}` contradicts itself: {problem}")

    def _contradictions(self) -> list[tuple[str, str]]:
        """Each contradiction: the rule broken (Litestar's wording), and what is wrong."""
        found = []
        if self.first and self.last:
            found.append(
                (
                    "Cannot set 'first=True' if 'last=True'",
                    "a middleware cannot be both first and last. Use `apply_first()` or `apply_last()`.",
                )
            )
        for flag, other, side in (("first", "after", "before"), ("last", "before", "after")):
            if not getattr(self, flag):
                continue
            if self.unique is False:
                found.append(
                    (
                        f"Cannot set '{flag}=True' if 'unique=False'",
                        f"`{flag}=True` makes the middleware unique; remove `unique=False`.",
                    )
                )
            if getattr(self, other):
                found.append(
                    (
                        f"Cannot set '{flag}=True' if '{other}' is not empty",
                        f"a {flag} middleware has no middleware {side} it; remove `{other}` or `{flag}=True`.",
                    )
                )
        for reference in self.before:
            if any(reference == other for other in self.after):
                found.append(
                    (
                        f"Cannot have '{_name(reference)}' in both 'before' and 'after'",
                        f"`{_name(reference)}` is both in `before` and in `after`; keep it in one of them.",
                    )
                )
        return found

    def apply_before(
        self, other: str | Middleware | MiddlewareFactory | MiddlewareForwardRef, ignore_import_error: bool = False
    ) -> Self:
        """Return a copy that also requires this middleware to come before ``other``.

        Args:
            other: The middleware, or its import path (a forward reference resolved when the app is created).
            ignore_import_error: With an import path, drop the constraint when the path cannot be imported.

        Returns:
            The new constraints.
        """
        return dataclasses.replace(self, before=(*self.before, _reference(other, ignore_import_error)))

    def apply_after(
        self, other: str | Middleware | MiddlewareFactory | MiddlewareForwardRef, ignore_import_error: bool = False
    ) -> Self:
        """Return a copy that also requires this middleware to come after ``other``.

        Args:
            other: The middleware, or its import path (a forward reference resolved when the app is created).
            ignore_import_error: With an import path, drop the constraint when the path cannot be imported.

        Returns:
            The new constraints.
        """
        return dataclasses.replace(self, after=(*self.after, _reference(other, ignore_import_error)))

    def apply_first(self) -> Self:
        """Return a copy requiring the middleware to be first (and unique), no longer last."""
        return dataclasses.replace(self, first=True, last=False, unique=True)

    def apply_last(self) -> Self:
        """Return a copy requiring the middleware to be last (and unique), no longer first."""
        return dataclasses.replace(self, first=False, last=True, unique=True)

    def require_unique(self, unique: bool) -> Self:
        """Return a copy with ``unique`` set.

        Args:
            unique: Whether the stack may hold the middleware only once.

        Returns:
            The new constraints.
        """
        return dataclasses.replace(self, unique=unique)


def _reference(item: Any, ignore_import_error: bool = False) -> Any:
    return MiddlewareForwardRef(item, ignore_import_error) if isinstance(item, str) else item


def _show(constraints: MiddlewareConstraints) -> str:
    """``MiddlewareConstraints(...)`` with the fields that differ from their defaults, middleware by name."""
    shown = []
    for field in dataclasses.fields(constraints):
        value = getattr(constraints, field.name)
        if value == field.default:
            continue
        if isinstance(value, tuple):
            names = [_name(item) for item in value]
            value = f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"
        shown.append(f"{field.name}={value}")
    return f"MiddlewareConstraints({', '.join(shown)})"


def _is_unique(constraints: MiddlewareConstraints) -> bool:
    """Whether the stack may hold the middleware once: ``unique``, or when not stated ``first or last``."""
    return constraints.first or constraints.last if constraints.unique is None else constraints.unique


def _rule(constraints: MiddlewareConstraints) -> str:
    """The constraint that makes a middleware unique, as written."""
    if constraints.unique:
        return "unique=True"
    return "first=True" if constraints.first else "last=True"


# -- checking a stack ---------------------------------------------------------------------------------------------


class _Declared(NamedTuple):
    """A middleware of the stack that declares constraints, with its references resolved."""

    position: int
    constraints: MiddlewareConstraints
    before: tuple[Any, ...]
    after: tuple[Any, ...]


_FIRST, _LAST = "first=True", "last=True"


class _Edge(NamedTuple):
    """The item at ``earlier`` must come before the item at ``later``, as ``declared`` declares with ``rule``."""

    earlier: int
    later: int
    declared: int
    rule: str


def _target(item: Any) -> Any:
    return item.middleware if isinstance(item, DefineMiddleware) else item


def _kind(item: Any) -> Any:
    """What a constraint of ``item`` is about: its class (its own, or its instance's), or the factory itself."""
    target = _target(item)
    return target if isinstance(target, type) or inspect.isroutine(target) else type(target)


def _name(item: Any) -> str:
    if isinstance(item, MiddlewareForwardRef):
        return item.target
    kind = _kind(item)
    qualname = getattr(kind, "__qualname__", None)
    # A class or factory defined in a function: its name from that function on, not `f.<locals>.Name`.
    return qualname.rpartition("<locals>.")[2] if isinstance(qualname, str) else repr(kind)


def _matches(reference: Any, item: Any) -> bool:
    """Whether ``reference`` (a class, a factory or an instance) stands for the stack's ``item``."""
    target = _target(item)
    if reference is target or reference is item:
        return True
    if not isinstance(reference, type):
        return False
    return issubclass(target, reference) if isinstance(target, type) else isinstance(target, reference)


def _constraints_of(item: Any) -> MiddlewareConstraints | None:
    constraints = getattr(_target(item), "constraints", None)
    return constraints if isinstance(constraints, MiddlewareConstraints) else None


def _resolve(references: tuple[Any, ...], declared_by: Any, field: str) -> tuple[Any, ...]:
    resolved = []
    for reference in references:
        if isinstance(reference, MiddlewareForwardRef):
            try:
                reference = reference.resolve()
            except ImportError as exc:
                raise MiddlewareConstraintError(
                    f"`{_name(declared_by)}` declares `{field}=({reference.target!r},)`, which cannot be imported "
                    f"({exc}). Fix the path, or pass `ignore_import_error=True` to `apply_{field}` if the "
                    "middleware is optional."
                ) from exc
            if reference is None:
                continue
        resolved.append(reference)
    return tuple(resolved)


def _listing(stack: Sequence[Any]) -> str:
    names = ", ".join(f"`{_name(item)}`" for item in stack)
    return f"The route's middleware, outermost (the app's) first: {names}."


def _check_unique(stack: Sequence[Any], declared: list[_Declared]) -> None:
    for entry in declared:
        if not _is_unique(entry.constraints):
            continue
        kind = _kind(stack[entry.position])
        found = [index for index, item in enumerate(stack) if _matches(kind, item)]
        if len(found) > 1:
            rule, indexes = _rule(entry.constraints), ", ".join(map(str, found))
            raise ConstraintViolationError(
                f"Middleware '{_name(kind)}' must be unique. Found {len(found)} instances (indices {indexes}). "
                f"(Violates constraint '{rule}') {_listing(stack)} Give it once: middleware given on the app applies "
                "to every route, so don't repeat it on a router, controller or handler."
            )


def _check_single_position(stack: Sequence[Any], declared: list[_Declared]) -> None:
    for flag in ("first", "last"):
        claiming = [entry for entry in declared if getattr(entry.constraints, flag)]
        if len(claiming) > 1:
            names = ", ".join(_name(stack[entry.position]) for entry in claiming)
            raise ConstraintViolationError(
                f"Multiple middlewares define '{flag}=True': {names}. Only one middleware can be {flag}. "
                f"{_listing(stack)} Remove `{flag}=True` from all but one of them."
            )


def _edges(stack: Sequence[Any], declared: list[_Declared]) -> list[_Edge]:
    edges = []
    for entry in declared:
        i = entry.position
        for field, references in (("before", entry.before), ("after", entry.after)):
            for reference in references:
                rule = f"{field}=({_name(reference)},)"  # the reference that matched, as the message shows it
                for j, item in enumerate(stack):
                    if _matches(reference, item):  # j == i too: a middleware ordered against itself is a cycle
                        edges.append(_Edge(i, j, i, rule) if field == "before" else _Edge(j, i, i, rule))
        others = [j for j in range(len(stack)) if j != i]
        if entry.constraints.first:
            edges.extend(_Edge(i, j, i, _FIRST) for j in others)
        if entry.constraints.last:
            edges.extend(_Edge(j, i, i, _LAST) for j in others)
    return edges


def _find_cycle(count: int, edges: list[_Edge]) -> list[_Edge] | None:
    """A cycle of ``edges`` (each item must come before the next, back to the first), if there is one."""
    outgoing: dict[int, list[_Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.earlier, []).append(edge)
    state = [0] * count  # 0: not seen, 1: on the current path, 2: done (no cycle through it)
    path: list[_Edge] = []

    def visit(node: int) -> list[_Edge] | None:
        state[node] = 1
        for edge in outgoing.get(node, ()):
            path.append(edge)
            if state[edge.later] == 1:
                return path[next(k for k, step in enumerate(path) if step.earlier == edge.later) :]
            if state[edge.later] == 0 and (cycle := visit(edge.later)) is not None:
                return cycle
            path.pop()
        state[node] = 2
        return None

    for node in range(count):
        if state[node] == 0 and (cycle := visit(node)) is not None:
            return cycle
    return None


def _describe(stack: Sequence[Any], edge: _Edge) -> str:
    return (
        f"`{_name(stack[edge.earlier])}` must come before `{_name(stack[edge.later])}` "
        f"(`{_name(stack[edge.declared])}` declares `{edge.rule}`)"
    )


def _check_positions(stack: Sequence[Any], declared: list[_Declared]) -> None:
    last = len(stack) - 1
    for entry in declared:
        name = _name(stack[entry.position])
        if entry.constraints.first and entry.position != 0:
            raise ConstraintViolationError(
                f"Middleware '{name}' is required to be in the first position, but was found at index "
                f"{entry.position}. (Violates constraint 'first=True') {_listing(stack)} Put it first in the app's "
                "`middleware` list."
            )
        if entry.constraints.last and entry.position != last:
            raise ConstraintViolationError(
                f"Middleware '{name}' is required to be in the last position (index {last} of {last}), but was found "
                f"at index {entry.position}. (Violates constraint 'last=True') {_listing(stack)} Put it last in the "
                "innermost layer's `middleware` list (the handler's, when it has some)."
            )


def _check_order(stack: Sequence[Any], edges: list[_Edge]) -> None:
    for edge in edges:
        if edge.earlier < edge.later:
            continue
        declaring, other = (edge.earlier, edge.later) if edge.declared == edge.earlier else (edge.later, edge.earlier)
        side = "before" if declaring == edge.earlier else "after"
        raise ConstraintViolationError(
            f"`{_name(stack[declaring])}` (index {declaring}) must come {side} `{_name(stack[other])}` (index "
            f"{other}): it declares `{edge.rule}`. {_listing(stack)} Reorder the `middleware` lists so that "
            f"`{_name(stack[edge.earlier])}` comes first (the app's middleware run before the routers', "
            "controllers' and handlers')."
        )


def check_middleware_constraints(middlewares: Sequence[Middleware]) -> None:
    """Check a route's middleware stack against the constraints its middleware declare.

    Args:
        middlewares: The stack, outermost first: the app's middleware, then the routers', controller's and
            handler's. Items are what ``middleware=[...]`` takes.

    Raises:
        MiddlewareConstraintError: A forward reference cannot be imported (without ``ignore_import_error``).
        CycleError: The constraints contradict each other, so no order satisfies them.
        ConstraintViolationError: A middleware is repeated although unique, is not first or last as required, or
            is on the wrong side of another.
    """
    stack = tuple(middlewares)
    declared = []
    for index, item in enumerate(stack):
        constraints = _constraints_of(item)
        if constraints is not None:
            before = _resolve(constraints.before, item, "before")
            declared.append(_Declared(index, constraints, before, _resolve(constraints.after, item, "after")))
    if not declared:
        return
    _check_unique(stack, declared)
    _check_single_position(stack, declared)
    edges = _edges(stack, declared)
    if (cycle := _find_cycle(len(stack), edges)) is not None:
        steps = "; ".join(_describe(stack, edge) for edge in cycle)
        raise CycleError(
            f"Middleware constraints contradict each other, so no order satisfies them: {steps}. {_listing(stack)} "
            "Change or remove one of these constraints."
        )
    _check_positions(stack, declared)
    _check_order(stack, [edge for edge in edges if edge.rule not in (_FIRST, _LAST)])
