"""Middleware constraints are checked on every route's stack (app, router, controller, handler) when the app is built."""

from __future__ import annotations

from typing import Any

import pytest

from outpour import Controller, Outpour, Router, get
from outpour.config.app import AppConfig
from outpour.connection import ASGIConnection
from outpour.datastructures import MutableScopeHeaders
from outpour.exceptions import OutpourException
from outpour.middleware import (
    AbstractAuthenticationMiddleware,
    AbstractMiddleware,
    ASGIMiddleware,
    AuthenticationResult,
    DefineMiddleware,
)
from outpour.middleware.constraints import (
    ConstraintViolationError,
    CycleError,
    MiddlewareConstraintError,
    MiddlewareConstraints,
    MiddlewareForwardRef,
    check_middleware_constraints,
)
from outpour.testing import create_test_client
from outpour.types import ASGIApp, Message, Receive, Scope, Send


class Tagging(ASGIMiddleware):
    """Adds its class name to the ``x-order`` header, so a test sees the order the stack runs in."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("x-order", type(self).__name__)
            await send(message)

        await next_app(scope, receive, tagged)


class TokenAuth(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        return AuthenticationResult(user="someone", auth=None)


class Caching(Tagging):
    constraints = MiddlewareConstraints(after=(AbstractAuthenticationMiddleware,))


class Outer(Tagging):
    constraints = MiddlewareConstraints(first=True)


class Inner(Tagging):
    constraints = MiddlewareConstraints(last=True)


class Once(Tagging):
    constraints = MiddlewareConstraints(unique=True)


class Plain(Tagging):
    pass


class Other(Tagging):
    pass


@get("/")
async def index() -> str:
    return "ok"


def run(route_handlers: list[Any], **options: Any) -> list[str]:
    """Build the app, call ``/`` and return the ``x-order`` tags: outermost middleware first."""
    with create_test_client(route_handlers, **options) as client:
        response = client.get("/")
    assert response.status_code == 200, response.text
    return list(reversed(response.headers.get_list("x-order")))  # the innermost tags the start message first


def handler_with(middleware: list[Any]) -> Any:
    @get("/", middleware=middleware)
    async def handler() -> str:
        return "ok"

    return handler


# -- satisfied ----------------------------------------------------------------------------------------------------


def test_after_is_satisfied_across_layers() -> None:
    """Auth on the app and caching on the handler: caching comes after auth, as it requires."""
    assert run([handler_with([Caching()])], middleware=[TokenAuth]) == ["Caching"]


def test_after_is_satisfied_through_define_middleware() -> None:
    """A ``DefineMiddleware`` stands for the class it builds (here a subclass of the class the constraint names)."""
    assert run([index], middleware=[DefineMiddleware(TokenAuth, exclude="^/schema"), Caching()]) == ["Caching"]


def test_a_constraint_on_an_absent_middleware_is_met() -> None:
    assert run([index], middleware=[Caching(), Plain()]) == ["Caching", "Plain"]


def test_first_and_last_are_satisfied_at_the_ends_of_the_stack() -> None:
    router = Router(path="/", route_handlers=[handler_with([Plain(), Inner()])], middleware=[Other()])
    assert run([router], middleware=[Outer()]) == ["Outer", "Other", "Plain", "Inner"]


def test_unique_middleware_once_per_route_on_different_routes() -> None:
    """Uniqueness is per route: the same middleware on two handlers is two stacks with one each."""

    @get("/a", middleware=[Once()])
    async def a() -> str:
        return "a"

    @get("/b", middleware=[Once()])
    async def b() -> str:
        return "b"

    with create_test_client([a, b]) as client:
        assert [client.get(path).headers["x-order"] for path in ("/a", "/b")] == ["Once", "Once"]


def test_middleware_added_by_an_on_app_init_hook_is_checked() -> None:
    """Constraints are checked on the final stacks, after hooks and plugins changed the app's middleware."""

    def add_caching_first(config: AppConfig) -> AppConfig:
        config.middleware.insert(0, Caching())
        return config

    with pytest.raises(ConstraintViolationError, match=r"`Caching` \(index 0\) must come after `TokenAuth`"):
        Outpour([index], middleware=[TokenAuth], on_app_init=[add_caching_first])


# -- violated -----------------------------------------------------------------------------------------------------


def test_after_violated_across_layers() -> None:
    router = Router(path="/", route_handlers=[index], middleware=[TokenAuth])
    message = (
        r"`Caching` \(index 0\) must come after `TokenAuth` \(index 1\): it declares "
        r"`after=\(AbstractAuthenticationMiddleware,\)`\. The route's middleware, outermost \(the app's\) first: "
        r"`Caching`, `TokenAuth`\. Reorder the `middleware` lists so that `TokenAuth` comes first"
    )
    with pytest.raises(ConstraintViolationError, match=message):
        Outpour([router], middleware=[Caching()])


def test_before_violated() -> None:
    class Early(Tagging):
        constraints = MiddlewareConstraints(before=(Plain,))

    with pytest.raises(ConstraintViolationError, match=r"`Early` \(index 1\) must come before `Plain` \(index 0\)"):
        Outpour([handler_with([Early()])], middleware=[Plain()])


def test_before_holds_for_every_instance_and_subclass() -> None:
    """``before=(Tagging,)`` covers every ``Tagging`` subclass in the stack, wherever it is."""

    class Early(ASGIMiddleware):
        constraints = MiddlewareConstraints(before=(Tagging,))

        async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
            await next_app(scope, receive, send)

    assert run([index], middleware=[Early(), Plain(), Other()]) == ["Plain", "Other"]
    with pytest.raises(ConstraintViolationError, match=r"`Early` \(index 1\) must come before `Plain` \(index 0\)"):
        Outpour([index], middleware=[Plain(), Early(), Other()])
    with pytest.raises(ConstraintViolationError, match=r"`Early` \(index 1\) must come before `Plain` \(index 0\)"):
        Outpour([index], middleware=[Plain(), Early(), Plain()])


def test_first_violated() -> None:
    message = (
        r"Middleware 'Outer' is required to be in the first position, but was found at index 1\. \(Violates "
        r"constraint 'first=True'\) The route's middleware, outermost \(the app's\) first: `Plain`, `Outer`\. Put it "
        r"first in the app's `middleware` list\."
    )
    with pytest.raises(ConstraintViolationError, match=message):
        Outpour([handler_with([Outer()])], middleware=[Plain()])


def test_last_violated() -> None:
    with pytest.raises(
        ConstraintViolationError,
        match=r"Middleware 'Inner' is required to be in the last position \(index 1 of 1\), but was found at index 0\.",
    ):
        Outpour([handler_with([Plain()])], middleware=[Inner()])


@pytest.mark.parametrize(
    ("constraints", "flag"),
    [
        pytest.param(MiddlewareConstraints(first=True), "first", id="first"),
        pytest.param(MiddlewareConstraints(last=True), "last", id="last"),
    ],
)
def test_two_middleware_cannot_both_be_first_or_last(constraints: MiddlewareConstraints, flag: str) -> None:
    class One(Tagging):
        pass

    class Two(Tagging):
        pass

    One.constraints = Two.constraints = constraints
    with pytest.raises(
        ConstraintViolationError, match=rf"Multiple middlewares define '{flag}=True': One, Two\. Only one"
    ):
        Outpour([index], middleware=[One(), Two()])


@pytest.mark.parametrize(
    "middleware",
    [
        pytest.param([Once(), Plain(), Once()], id="instances"),
        pytest.param([Once(), type("SubOnce", (Once,), {})()], id="subclass"),
    ],
)
def test_unique_violated(middleware: list[Any]) -> None:
    with pytest.raises(
        ConstraintViolationError,
        match=r"Middleware 'Once' must be unique\. Found 2 instances \(indices 0, .\)\. \(Violates constraint 'unique=True'\)",
    ):
        Outpour([index], middleware=middleware)


def test_unique_violated_by_the_same_middleware_on_two_layers() -> None:
    class Logged(AbstractMiddleware):
        constraints = MiddlewareConstraints(unique=True)

    class Things(Controller):
        path = "/things"
        middleware = [Logged]  # noqa: RUF012

        @get("/")
        async def list_things(self) -> list[str]:
            return []

    with pytest.raises(
        ConstraintViolationError, match=r"'Logged' must be unique\. Found 2 instances \(indices 0, 1\)\."
    ):
        Outpour([Things], middleware=[DefineMiddleware(Logged, exclude="^/health")])


def test_first_implies_unique() -> None:
    with pytest.raises(
        ConstraintViolationError, match=r"'Outer' must be unique\. .*\(Violates constraint 'first=True'\)"
    ):
        Outpour([handler_with([Outer()])], middleware=[Outer()])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"first": True, "last": True}, "a middleware cannot be both first and last", id="first-and-last"),
        pytest.param(
            {"first": True, "unique": False},
            r"`first=True` makes the middleware unique; remove `unique=False`",
            id="first-not-unique",
        ),
        pytest.param(
            {"last": True, "unique": False},
            r"`last=True` makes the middleware unique; remove `unique=False`",
            id="last-not-unique",
        ),
        pytest.param(
            {"first": True, "after": (Plain,)},
            r"`MiddlewareConstraints\(after=\(Plain,\), first=True\)` contradicts itself: a first middleware has no "
            r"middleware before it",
            id="first-after",
        ),
        pytest.param(
            {"last": True, "before": (Plain, Other)},
            r"`MiddlewareConstraints\(before=\(Plain, Other\), last=True\)` contradicts itself: a last middleware has "
            r"no middleware after it; remove `before` or `last=True`",
            id="last-before",
        ),
        pytest.param(
            {"before": (Plain, "a.b.C"), "after": ("a.b.C",)},
            r"`a\.b\.C` is both in `before` and in `after`; keep it in one of them\.",
            id="before-and-after",
        ),
    ],
)
def test_self_contradicting_constraints_raise_on_creation(options: dict[str, Any], message: str) -> None:
    with pytest.raises(MiddlewareConstraintError, match=message):
        MiddlewareConstraints(**options)


def test_constraints_contradicting_each_other_raise_a_cycle_error() -> None:
    class A(Tagging):
        pass

    class B(Tagging):
        constraints = MiddlewareConstraints(before=(A,))

    A.constraints = MiddlewareConstraints(before=(B,))
    message = (
        r"Middleware constraints contradict each other, so no order satisfies them: `A` must come before `B` "
        r"\(`A` declares `before=\(B,\)`\); `B` must come before `A` \(`B` declares `before=\(A,\)`\)\. The route's "
        r"middleware, outermost \(the app's\) first: `A`, `B`\. Change or remove one of these constraints\."
    )
    with pytest.raises(CycleError, match=message):
        Outpour([index], middleware=[A(), B()])


def test_a_cycle_through_three_middleware_on_three_layers() -> None:
    class A(Tagging):
        pass

    class B(Tagging):
        constraints = MiddlewareConstraints(after=(A,))

    class C(Tagging):
        constraints = MiddlewareConstraints(after=(B,), before=(A,))

    router = Router(path="/", route_handlers=[handler_with([C()])], middleware=[B()])
    with pytest.raises(CycleError, match=r"`A` must come before `B` .*; `B` must come before `C` .*; `C` must come"):
        Outpour([router], middleware=[A()])


def test_a_before_constraint_on_a_first_middleware_is_a_cycle() -> None:
    class Early(Tagging):
        constraints = MiddlewareConstraints(before=(Outer,))

    with pytest.raises(
        CycleError,
        match=r"`Outer` must come before `Early` \(`Outer` declares `first=True`\); `Early` must come before `Outer` "
        r"\(`Early` declares `before=\(Outer,\)`\)",
    ):
        Outpour([index], middleware=[Outer(), Early()])


def test_a_middleware_ordered_against_its_own_class_is_a_cycle() -> None:
    class Selfish(Tagging):
        pass

    Selfish.constraints = MiddlewareConstraints(before=(Selfish,))
    with pytest.raises(CycleError, match=r"`Selfish` must come before `Selfish` \(`Selfish` declares `before="):
        check_middleware_constraints((Selfish(),))


@pytest.mark.parametrize(
    ("options", "rule"),
    [
        pytest.param({"first": True, "last": True}, "Cannot set 'first=True' if 'last=True'", id="first-and-last"),
        pytest.param({"first": True, "unique": False}, "Cannot set 'first=True' if 'unique=False'", id="first"),
        pytest.param({"last": True, "unique": False}, "Cannot set 'last=True' if 'unique=False'", id="last"),
        pytest.param({"last": True, "before": (Tagging,)}, "Cannot set 'last=True' if 'before' is not empty", id="lb"),
        pytest.param({"first": True, "after": (Tagging,)}, "Cannot set 'first=True' if 'after' is not empty", id="fa"),
    ],
)
def test_self_contradicting_constraints_name_the_rule_first(options: dict[str, Any], rule: str) -> None:
    with pytest.raises(MiddlewareConstraintError) as raised:
        MiddlewareConstraints(**options)
    assert str(raised.value).startswith(rule + ": `MiddlewareConstraints(")


# -- references: classes, factories, forward references -------------------------------------------------------------


def test_a_factory_function_is_referenced_by_identity() -> None:
    def timing(app: ASGIApp) -> ASGIApp:
        return app

    class AfterTiming(Tagging):
        constraints = MiddlewareConstraints().apply_after(timing)

    assert run([index], middleware=[timing, AfterTiming()]) == ["AfterTiming"]
    with pytest.raises(ConstraintViolationError, match=r"`AfterTiming` \(index 0\) must come after `.*timing`"):
        Outpour([index], middleware=[AfterTiming(), timing])


def test_a_forward_reference_is_imported_and_enforced() -> None:
    class LateCaching(Tagging):
        constraints = MiddlewareConstraints().apply_after(
            "outpour.middleware.authentication.AbstractAuthenticationMiddleware"
        )

    assert run([index], middleware=[TokenAuth, LateCaching()]) == ["LateCaching"]
    with pytest.raises(ConstraintViolationError, match=r"`LateCaching` \(index 0\) must come after `TokenAuth`"):
        Outpour([index], middleware=[LateCaching(), TokenAuth])


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("not_an_installed_package.SomeMiddleware", id="no-module"),
        pytest.param("outpour.middleware.NoSuchMiddleware", id="no-name"),
        pytest.param("SomeMiddleware", id="not-dotted"),
    ],
)
def test_an_unimportable_forward_reference(target: str) -> None:
    class Strict(Tagging):
        constraints = MiddlewareConstraints().apply_before(target)

    class Lenient(Tagging):
        constraints = MiddlewareConstraints().apply_before(target, ignore_import_error=True)

    with pytest.raises(MiddlewareConstraintError, match=rf"`Strict` declares `before=\('{target}',\)`, which cannot"):
        Outpour([index], middleware=[Strict()])
    assert run([index], middleware=[Plain(), Lenient()]) == ["Plain", "Lenient"]


def test_forward_ref_resolve() -> None:
    resolved: object = MiddlewareForwardRef("outpour.middleware.ASGIMiddleware", ignore_import_error=False).resolve()
    assert resolved is ASGIMiddleware
    assert MiddlewareForwardRef("not_an_installed_package.X", ignore_import_error=True).resolve() is None
    with pytest.raises(ImportError, match=r"cannot import `not_an_installed_package\.X`"):
        MiddlewareForwardRef("not_an_installed_package.X", ignore_import_error=False).resolve()


# -- the constraints object ---------------------------------------------------------------------------------------


def test_builders_return_changed_copies() -> None:
    base = MiddlewareConstraints()
    built = base.apply_before(Plain).apply_after("a.b.C", ignore_import_error=True).require_unique(True)
    assert base == MiddlewareConstraints()
    assert built == MiddlewareConstraints(
        before=(Plain,), after=(MiddlewareForwardRef("a.b.C", ignore_import_error=True),), unique=True
    )
    assert MiddlewareConstraints(last=True).apply_first() == MiddlewareConstraints(first=True, unique=True)
    assert MiddlewareConstraints(first=True).apply_last() == MiddlewareConstraints(last=True, unique=True)


def test_errors_are_outpour_exceptions() -> None:
    assert issubclass(ConstraintViolationError, MiddlewareConstraintError)
    assert issubclass(CycleError, MiddlewareConstraintError)
    assert issubclass(MiddlewareConstraintError, OutpourException)


def test_check_middleware_constraints_takes_a_stack() -> None:
    check_middleware_constraints((TokenAuth, Caching()))
    with pytest.raises(ConstraintViolationError, match="must come after"):
        check_middleware_constraints((Caching(), TokenAuth))
