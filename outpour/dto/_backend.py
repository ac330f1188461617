"""The compiled plan of a DTO for one annotation of one handler: ``DTOBackend``.

At start-up, the DTO's model is walked once per direction (client data in, return data out): its transferred fields
(exclusions, marks, private fields, nesting depth) and their client-side names become a msgspec ``Struct`` type per
model, and converters between the model and that type. Per request, client data is decoded by msgspec straight into
the inbound ``Struct`` (validation, renames and unknown fields in one pass), then made the model; a returned model is
made an outbound ``Struct``, which the route's encoder writes as it writes any ``Struct``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import keyword
import re
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Union

import msgspec

from outpour.dto.config import DTOConfig
from outpour.dto.field import Mark
from outpour.exceptions import ImproperlyConfiguredException, InvalidAnnotationException
from outpour.response.base import Response
from outpour.types import Empty
from outpour.typing import FieldDefinition

if TYPE_CHECKING:
    from outpour.dto.base_dto import AbstractDTO
    from outpour.dto.data_structures import DTOFieldDefinition

__all__ = ["DTOBackend", "rename"]

_UNSET = msgspec.UNSET
Convert = Callable[[Any], Any]


class _TooDeep(Exception):
    """A nested model past ``max_nested_depth``: the field holding it is left out."""


def _camel(name: str, *, first_upper: bool) -> str:
    words = name.split("_")
    return "".join(word if index == 0 and not first_upper else word.capitalize() for index, word in enumerate(words))


_STRATEGIES: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "camel": lambda name: _camel(name, first_upper=False),
    "pascal": lambda name: _camel(name, first_upper=True),
    "kebab": lambda name: "-".join(word.lower() for word in re.split(r"_+", name) if word),
}


def rename(name: str, config: DTOConfig) -> str:
    """The name a field has client-side: ``rename_fields``, else ``rename_strategy``, else its own."""
    if name in config.rename_fields:
        return config.rename_fields[name]
    strategy = config.rename_strategy
    if strategy is None:
        return name
    if callable(strategy):
        return str(strategy(name))
    try:
        return _STRATEGIES[strategy](name)
    except KeyError:
        raise ImproperlyConfiguredException(
            f"Unknown `rename_strategy` {strategy!r} in `DTOConfig`: use one of {', '.join(map(repr, _STRATEGIES))}, "
            "or a function taking a field name and returning the name the client sees."
        ) from None


def _below(paths: set[str] | frozenset[str], name: str) -> frozenset[str]:
    """The paths under ``name`` in ``paths`` (``{"address.id"}`` under ``address`` is ``{"id"}``)."""
    return frozenset(rest for path in paths for head, _, rest in [path.partition(".")] if head == name and rest)


@dataclasses.dataclass(slots=True)
class _Node:
    """How one value of an annotation crosses the DTO: its transfer type and the conversions (``None``: as it is)."""

    annotation: Any
    to_transfer: Convert | None = None
    """Outbound: a model value to its transfer value."""
    to_model: Convert | None = None
    """Inbound: a decoded transfer value to the model value."""
    to_builtins: Convert | None = None
    """Inbound: a decoded transfer value to built-in types (``DTOData``)."""
    from_builtins: Convert | None = None
    """Built-in types (``DTOData``, with the handler's additions) to the model value."""
    plan: _ModelPlan | None = None


_SIMPLE = object()


@dataclasses.dataclass(slots=True)
class _Field:
    name: str
    slot: str
    serialized: str
    node: _Node
    unset: bool
    """Inbound: the client may leave it out and it is then left unset (``partial``, or a nested model's default)."""


class _Context:
    """What the walk of one DTO over one annotation shares: the DTO, its config, the direction and the plans built."""

    def __init__(self, dto: type[AbstractDTO[Any]], config: DTOConfig, inbound: bool, label: str, prefix: str) -> None:
        self.dto = dto
        self.prefix = prefix
        self.names: set[str] = set()
        self.config = config
        self.inbound = inbound
        self.label = label
        self.plans: dict[tuple[Any, ...], _ModelPlan] = {}
        self.top: _ModelPlan | None = None

    def struct_name(self, model: type[Any]) -> str:
        """A name for the transfer ``Struct`` of ``model``, as the OpenAPI schema shows it (``CreateUserUserRequestBody``)."""
        base = f"{self.prefix}{model.__name__}{'RequestBody' if self.inbound else 'ResponseBody'}"
        name, count = base, 1
        while name in self.names:
            count += 1
            name = f"{base}{count}"
        self.names.add(name)
        return name

    def node(
        self,
        field: FieldDefinition,
        exclude: frozenset[str],
        include: frozenset[str],
        depth: int,
        is_model: Callable[[FieldDefinition], bool],
    ) -> _Node:
        """The node of ``field``: a nested model, a union, a collection or a mapping holding one, or a plain value."""
        if is_model(field):
            if is_model != self.nested:  # the DTO's own model, at the top of the annotation
                self.top = self.plan(field.annotation, exclude, include, 0)
                return self.top.node
            if depth >= self.config.max_nested_depth:
                raise _TooDeep
            return self.plan(field.annotation, exclude, include, depth + 1).node
        if not self.holds_model(field, is_model):
            return _Node(field.raw)
        if field.is_union:
            members = [self.node(inner, exclude, include, depth, is_model) for inner in field.inner_types]
            if self.inbound and sum(member.plan is not None for member in members) > 1:
                raise ImproperlyConfiguredException(
                    f"{self.label}: `{field.raw!r}` is a union of several models, which client data cannot be read "
                    "into (nothing in the data says which model it is). Use one model, or a `dto` excluding the "
                    "field (return DTOs write such unions)."
                )
            return _union(members)
        # Inside a model, a path names a collection's type argument by its index (`pets.0.id`); around the DTO's
        # own model (`list[User]`), paths start at the model.
        nested = is_model == self.nested

        def below(paths: frozenset[str], index: str) -> frozenset[str]:
            return _below(paths, index) if nested else paths

        if field.is_mapping:
            key, value = field.inner_types
            inner = self.node(value, below(exclude, "1"), below(include, "1"), depth, is_model)
            return _mapping(key.raw, inner)
        if field.is_tuple and not (len(field.args) == 2 and field.args[1] is Ellipsis):
            raise ImproperlyConfiguredException(
                f"{self.label}: `{field.raw!r}` is a tuple of fixed length holding a model, which outpour's DTOs do "
                "not transfer. Use `list[...]` or `tuple[Model, ...]` instead."
            )
        if field.is_non_string_collection:
            inner = self.node(field.inner_types[0], below(exclude, "0"), below(include, "0"), depth, is_model)
            return _collection(inner, field)
        raise ImproperlyConfiguredException(
            f"{self.label}: outpour's DTOs cannot transfer `{field.raw!r}`, a type holding a model that is not a "
            "union, a collection or a mapping. Annotate the model, a list or a dict of it instead."
        )

    def nested(self, field: FieldDefinition) -> bool:
        """Whether a field of a model holds a nested model (the DTO's ``detect_nested_field``)."""
        return inspect.isclass(field.annotation) and bool(self.dto.detect_nested_field(field))

    def holds_model(self, field: FieldDefinition, is_model: Callable[[FieldDefinition], bool]) -> bool:
        """Whether ``field`` is, or holds in its arguments, a model."""
        return is_model(field) or any(self.holds_model(inner, is_model) for inner in field.inner_types)

    def plan(self, model: type[Any], exclude: frozenset[str], include: frozenset[str], depth: int) -> _ModelPlan:
        key = (model, exclude, include, depth)
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = _ModelPlan(self, model, exclude, include, depth)
        return plan


class _ModelPlan:
    """The transferred fields of one model in one direction, its ``Struct`` type and converters."""

    def __init__(
        self, context: _Context, model: type[Any], exclude: frozenset[str], include: frozenset[str], depth: int
    ) -> None:
        self.model = model
        self.depth = depth
        config = context.config
        inbound = context.inbound
        included = {path.partition(".")[0] for path in include}
        fields: list[_Field] = []
        struct_fields: list[Any] = []
        self.all_fields: list[DTOFieldDefinition] = list(context.dto.generate_field_definitions(model))
        for definition in self.all_fields:
            name = definition.name
            if name in exclude or (included and name not in included):
                continue
            mark = definition.dto_field.mark
            if mark == Mark.PRIVATE or (config.underscore_fields_private and name.startswith("_")):
                continue
            if (inbound and mark == Mark.READ_ONLY) or (not inbound and mark == Mark.WRITE_ONLY):
                continue
            try:
                node = context.node(definition, _below(exclude, name), _below(include, name), depth, context.nested)
            except _TooDeep:
                continue
            default = _struct_default(definition, node, partial=config.partial) if inbound else msgspec.NODEFAULT
            fields.append(_Field(name, f"f{len(fields)}", rename(name, config), node, default is _UNSET))
            struct_fields.append(
                (fields[-1].slot, _subscript(Union, node.annotation, msgspec.UnsetType), _UNSET)
                if default is _UNSET
                else (fields[-1].slot, node.annotation, default)
            )
        self.fields = fields
        self.struct: type[msgspec.Struct] = msgspec.defstruct(
            context.struct_name(model),
            struct_fields,
            rename={field.slot: field.serialized for field in fields},
            kw_only=True,
            forbid_unknown_fields=config.forbid_unknown_fields,
        )
        self.by_name = {field.name: field for field in fields}
        accessor = context.dto.attribute_accessor
        self.node = _Node(self.struct, plan=self)
        if inbound:
            self.node.to_model = _compile_to_model(model, fields)
            self.node.to_builtins = self.to_builtins
            self.node.from_builtins = self.from_builtins
        else:
            self.node.to_transfer = _compile_to_transfer(self.struct, fields, accessor)

    def to_builtins(self, value: Any) -> dict[str, Any]:
        """Make the ``dict`` of a decoded inbound ``Struct`` (nested models as ``dict`` too; unset fields left out)."""
        out: dict[str, Any] = {}
        for field in self.fields:
            item = getattr(value, field.slot)
            if item is _UNSET:
                continue
            convert = field.node.to_builtins
            out[field.name] = item if convert is None or item is None else convert(item)
        return out

    def from_builtins(self, value: Any) -> Any:
        """Make the model of a ``dict`` of field values (a value that is not a ``dict`` is returned as it is)."""
        if not isinstance(value, dict):
            return value
        kwargs: dict[str, Any] = {}
        for name, item in value.items():
            field = self.by_name.get(name)
            convert = field.node.from_builtins if field is not None else None
            kwargs[name] = item if convert is None or item is None else convert(item)
        return self.model(**kwargs)

    def update(self, instance: Any, value: dict[str, Any]) -> None:
        """Set the values of a ``dict`` on ``instance``: a nested ``dict`` updates the nested model in place."""
        for name, item in value.items():
            field = self.by_name.get(name)
            plan = field.node.plan if field is not None else None
            current = getattr(instance, name, None)
            if plan is not None and isinstance(item, dict) and current is not None and not isinstance(current, dict):
                plan.update(current, item)
                continue
            convert = field.node.from_builtins if field is not None else None
            setattr(instance, name, item if convert is None or item is None else convert(item))

    def missing_required(self) -> list[str]:
        """The required constructor arguments of the model (and its nested models) no transferred field gives."""
        missing = sorted(_required_parameters(self.model) - self.by_name.keys())
        for field in self.fields:
            plan = field.node.plan
            if plan is not None and plan is not self:
                missing.extend(f"{field.name}.{name}" for name in plan.missing_required())
        return missing


def _struct_default(definition: DTOFieldDefinition, node: _Node, *, partial: bool) -> Any:
    """The default of an inbound field: the model's own, ``UNSET`` (left to the model), or none (required)."""
    has_default = definition.default is not Empty or definition.default_factory is not None
    if partial or (has_default and node.to_model is not None):  # a nested model's default is the model's to make
        return _UNSET
    if definition.default_factory is not None:
        return msgspec.field(default_factory=definition.default_factory)
    if definition.default is Empty:
        return msgspec.NODEFAULT
    default = definition.default
    try:
        hash(default)
    except TypeError:  # a mutable default: each request gets a copy, as a dataclass's own default would not
        return msgspec.field(default_factory=functools.partial(copy.deepcopy, default))
    return default


def _set(instance: Any, name: str, value: Any) -> None:
    try:
        setattr(instance, name, value)
    except (dataclasses.FrozenInstanceError, AttributeError):
        object.__setattr__(instance, name, value)


def _compile_to_transfer(
    struct: type[msgspec.Struct], fields: list[_Field], accessor: Callable[[object, str], Any]
) -> Convert:
    """Generate the function making the outbound ``Struct`` of a model: one call, no loop (built once per plan)."""
    namespace: dict[str, Any] = {"Struct": struct, "accessor": accessor}
    arguments = []
    for index, field in enumerate(fields):
        if accessor is getattr and _is_plain_name(field.name):
            read = f"value.{field.name}"
        else:
            namespace[f"name{index}"] = field.name
            read = f"accessor(value, name{index})"
        convert = field.node.to_transfer
        if convert is not None:
            namespace[f"convert{index}"] = convert
            read = f"_nested(convert{index}, {read})"
        arguments.append(f"{field.slot}={read}")
    namespace["_nested"] = _nested
    source = f"def to_transfer(value):\n    return Struct({', '.join(arguments)})\n"
    exec(source, namespace)
    function: Convert = namespace["to_transfer"]
    return function


def _is_plain_name(name: str) -> bool:
    """Whether ``name`` can be written as an attribute or a keyword in generated code."""
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__")


def _compile_to_model(model: type[Any], fields: list[_Field]) -> Convert:
    """Generate the function making the model of a decoded inbound ``Struct`` (fields left unset are left out)."""
    namespace: dict[str, Any] = {"Model": model, "UNSET": _UNSET, "_nested": _nested, "Error": msgspec.ValidationError}
    lines = ["def to_model(value):", "    kwargs = {}"]
    required = _required_parameters(model)
    arguments = []
    for index, field in enumerate(fields):
        read = f"value.{field.slot}"
        if field.node.to_model is not None:
            namespace[f"convert{index}"] = field.node.to_model
            read = f"_nested(convert{index}, {read})"
        namespace[f"name{index}"] = field.name
        if field.unset:
            lines.append(f"    item = value.{field.slot}")
            lines.append(
                f"    if item is not UNSET: kwargs[name{index}] = {read.replace(f'value.{field.slot}', 'item')}"
            )
            if field.name in required:  # a partial DTO: the client may leave out what the model cannot do without
                namespace[f"missing{index}"] = f"Object missing required field `{field.serialized}`"
                lines.append(f"    else: raise Error(missing{index})")
        elif _is_plain_name(field.name):
            arguments.append(f"{field.name}={read}")
        else:
            lines.append(f"    kwargs[name{index}] = {read}")
    lines.append(f"    return Model({''.join(a + ', ' for a in arguments)}**kwargs)")
    exec("\n".join(lines) + "\n", namespace)  # generated from checked names, as `_compile_to_transfer`
    function: Convert = namespace["to_model"]
    return function


def _required_parameters(model: type[Any]) -> frozenset[str]:
    """The names of the arguments the model's constructor cannot do without."""
    try:
        parameters = inspect.signature(model).parameters.values()
    except (TypeError, ValueError):
        return frozenset()
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return frozenset(p.name for p in parameters if p.default is inspect.Parameter.empty and p.kind in kinds)


def _nested(convert: Convert, value: Any) -> Any:
    return value if value is None or value is _UNSET else convert(value)


def _subscript(origin: Any, *args: Any) -> Any:
    """``origin[args]``, built at run time (``Union[int, str]``, ``dict[str, Model]``)."""
    first, *rest = args
    return origin[args] if rest else origin[first]


def _union(members: list[_Node]) -> _Node:
    annotation = _subscript(Union, *(member.annotation for member in members))
    models = [member for member in members if member.plan is not None]
    others = [member for member in members if member.plan is None and member.to_model is not None]
    if not others and len(models) == 1:  # `Model | None`, the usual case
        (plan,) = (member.plan for member in models if member.plan is not None)
        return _Node(
            annotation,
            to_transfer=plan.node.to_transfer,
            to_model=plan.node.to_model,
            to_builtins=plan.node.to_builtins,
            from_builtins=plan.node.from_builtins,
            plan=plan,
        )

    def pick(attribute: str, by: Callable[[_Node], Any]) -> Convert:
        choices = [(by(member), getattr(member, attribute)) for member in members if getattr(member, attribute)]

        def convert(value: Any) -> Any:
            for kind, function in choices:
                if kind is None or isinstance(value, kind):
                    return function(value)
            return value

        return convert

    def model_of(member: _Node) -> Any:
        return member.plan.model if member.plan is not None else _origin(member.annotation)

    def struct_of(member: _Node) -> Any:
        return member.plan.struct if member.plan is not None else _origin(member.annotation)

    return _Node(
        annotation,
        to_transfer=pick("to_transfer", model_of),
        to_model=pick("to_model", struct_of),
        to_builtins=pick("to_builtins", struct_of),
        from_builtins=pick(
            "from_builtins", lambda member: dict if member.plan is not None else _origin(member.annotation)
        ),
    )


def _origin(annotation: Any) -> Any:
    origin = typing.get_origin(annotation) or annotation
    return origin if inspect.isclass(origin) else None


def _each(convert: Convert | None, build: Callable[[Any], Any]) -> Convert | None:
    if convert is None:
        return None
    return lambda value: build(_nested(convert, item) for item in value)


def _collection(inner: _Node, field: FieldDefinition) -> _Node:
    origin = field.instantiable_origin or list
    if not (inspect.isclass(origin) and issubclass(origin, list | tuple | set | frozenset)):
        origin = list
    is_tuple = issubclass(origin, tuple)
    # Models are rarely hashable: sets of them travel as lists, and are made sets again on the way in.
    annotation = _subscript(tuple, inner.annotation, ...) if is_tuple else _subscript(list, inner.annotation)
    return _Node(
        annotation,
        to_transfer=_each(inner.to_transfer, list),
        to_model=_each(inner.to_model, origin),
        to_builtins=_each(inner.to_builtins, list),
        from_builtins=_each(inner.from_builtins, origin),
    )


def _mapping(key: Any, inner: _Node) -> _Node:
    def each(convert: Convert | None) -> Convert | None:
        if convert is None:
            return None
        return lambda value: {k: _nested(convert, v) for k, v in value.items()}

    return _Node(
        _subscript(dict, key, inner.annotation),
        to_transfer=each(inner.to_transfer),
        to_model=each(inner.to_model),
        to_builtins=each(inner.to_builtins),
        from_builtins=each(inner.from_builtins),
    )


def resolve_model_type(field: FieldDefinition) -> FieldDefinition:
    """The annotation a DTO's model should be in: ``Model`` of ``DTOData[Model]``, ``list[Model]``, ``Model | None``."""
    from outpour.dto.data_structures import DTOData

    if field.is_optional:
        return resolve_model_type(next(inner for inner in field.inner_types if not inner.is_none_type))
    if field.origin is DTOData or field.is_subclass_of(DTOData):
        return resolve_model_type(field.inner_types[0]) if field.inner_types else field
    if field.is_mapping and len(field.inner_types) == 2:
        return resolve_model_type(field.inner_types[1])
    if field.is_tuple:
        if len(field.args) == 2 and field.args[1] is Ellipsis:
            return resolve_model_type(field.inner_types[0])
        return field
    if field.is_non_string_collection and field.inner_types:
        return resolve_model_type(field.inner_types[0])
    return field


def resolve_wrapper(field: FieldDefinition, model: type[Any]) -> tuple[FieldDefinition, str] | None:
    """The attribute of a generic wrapper holding the model, and its annotation; ``None`` for another type.

    Wrappers are ``Response[Model]``, ``ClassicPagination[Model]`` and any generic class with one attribute holding
    the model.
    """
    target = field.origin or field.annotation
    if not inspect.isclass(target) or not field.inner_types:
        return None

    def holds(inner: FieldDefinition) -> bool:
        return inner.is_subclass_of(model) or any(holds(arg) for arg in inner.inner_types)

    if not any(holds(inner) for inner in field.inner_types):
        return None
    if issubclass(target, Response):
        return field.inner_types[0], "content"
    try:
        hints = field.get_type_hints(include_extras=True, resolve_generics=True)
    except Exception:
        return None
    found = [(name, FieldDefinition.from_annotation(hint)) for name, hint in hints.items()]
    found = [(name, inner) for name, inner in found if holds(inner)]
    if len(found) != 1:
        return None
    name, inner = found[0]
    return inner, name


class DTOBackend:
    """What a DTO does for one annotation of one handler, compiled at start-up.

    Args:
        dto: The DTO class.
        field_definition: The handler's ``data`` annotation (named ``"data"``) or return annotation.
        handler_id: Who the backend is for, for messages.
    """

    def __init__(self, dto: type[AbstractDTO[Any]], field_definition: FieldDefinition, handler_id: str) -> None:
        from outpour.dto.data_structures import DTOData

        self.dto = dto
        self.field_definition = field_definition
        self.handler_id = handler_id
        self.inbound = field_definition.name == "data"
        model = dto.model_type
        config = dto.get_config_for_model_type(dto.config, model)
        self.config = config
        label = f"`{dto.__name__}` of handler `{handler_id.partition('::')[0]}`"
        self.label = label
        prefix = _camel(handler_id.partition("::")[0].rsplit(".", 1)[-1], first_upper=True)
        context = _Context(dto, config, self.inbound, label, prefix)
        annotation = field_definition
        self.dto_data = DTOData
        self.is_dto_data = annotation.origin is DTOData
        if self.is_dto_data:
            if not self.inbound:
                raise InvalidAnnotationException(
                    f"{label}: `DTOData` annotates the `data` parameter, not a return type. Return the model instead."
                )
            annotation = annotation.inner_types[0]
        self.wrapper_attribute: str | None = None
        resolved = resolve_model_type(annotation)
        exclude, include = frozenset(config.exclude), frozenset(config.include)

        def is_top_model(inner: FieldDefinition) -> bool:
            return inspect.isclass(inner.annotation) and inner.is_subclass_of(model)

        if not is_top_model(resolved):
            wrapped = None if self.inbound else resolve_wrapper(resolved, model)
            if wrapped is None or resolved is not annotation:
                raise InvalidAnnotationException(
                    f"{label}: the DTO is narrowed with `{model.__name__}`, but the handler's "
                    f"{'`data`' if self.inbound else 'return'} type is `{field_definition.raw!r}`. Annotate "
                    f"`{model.__name__}` (or a list of it{'' if self.inbound else ', or a generic wrapper of it'}), "
                    "or give this handler another DTO (or `None`)."
                )
            annotation, self.wrapper_attribute = wrapped
        self.node = context.node(annotation, exclude, include, 0, is_top_model)
        self.annotation = self.node.annotation
        """The transfer type: the inbound body is decoded into it, the outbound value is made one."""
        if context.top is None:  # pragma: no cover - the annotation was checked to hold the model
            raise InvalidAnnotationException(f"{label}: `{field_definition.raw!r}` holds no `{model.__name__}`.")
        self.plan = context.top
        if self.is_dto_data and annotation is not resolved:
            raise InvalidAnnotationException(
                f"{label}: `DTOData` takes the model itself (`DTOData[{model.__name__}]`), not `{annotation.raw!r}`."
            )
        if self.inbound and not self.is_dto_data and not config.partial:
            missing = self.plan.missing_required()
            if missing:
                raise ImproperlyConfiguredException(
                    f"{label}: `{model.__name__}` needs {', '.join(f'`{m}`' for m in missing)}, which the DTO does not "
                    f"accept from the client (excluded, read-only or private), so client data cannot make a "
                    f"`{model.__name__}`. Annotate `data: DTOData[{model.__name__}]` and pass the missing values to "
                    "`data.create_instance(...)`, or give those fields a default."
                )

    def to_handler_value(self, transfer: Any) -> Any:
        """The ``data`` value of a decoded inbound transfer value: the model (or collection), or ``DTOData``."""
        if transfer is None:
            return None
        if self.is_dto_data:
            to_builtins = self.node.to_builtins
            return self.dto_data(self, to_builtins(transfer) if to_builtins is not None else transfer)
        to_model = self.node.to_model
        return to_model(transfer) if to_model is not None else transfer

    def from_builtins(self, value: Any) -> Any:
        """Make the model of built-in client data (``DTOData.create_instance``)."""
        return self.plan.from_builtins(value)

    def update_instance(self, instance: Any, value: dict[str, Any]) -> None:
        """Set built-in client data on a model instance (``DTOData.update_instance``)."""
        self.plan.update(instance, value)

    def encode_data(self, value: Any) -> Any:
        """Make a returned value encodable: the model (or collection) as the outbound ``Struct``."""
        convert = self.node.to_transfer
        if self.wrapper_attribute is not None:
            inner = getattr(value, self.wrapper_attribute, None)
            if convert is not None and inner is not None:
                value = copy.copy(value)  # the handler's object is left as it was (it may be returned again)
                _set(value, self.wrapper_attribute, convert(inner))
            return value
        if convert is None or value is None or isinstance(value, Response):
            return value
        return convert(value)

    def encode_response(self, value: Any) -> Any:
        """``encode_data`` for a handler's return value: a returned ``Response`` has its content made encodable."""
        if isinstance(value, Response) and self.wrapper_attribute is None:
            convert = self.node.to_transfer
            if convert is not None and value.content is not None:
                value = copy.copy(value)
                value.content = convert(value.content)
            return value
        return self.encode_data(value)


def model_fields_namespace(model: type[Any], namespace: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The names a model's annotations are resolved with: its module's, then ``namespace``."""
    import sys

    module = sys.modules.get(model.__module__)
    return {**(vars(module) if module is not None else {}), **(namespace or {})}
