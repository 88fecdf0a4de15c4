/**
 * The Python side of the worker, run once per interpreter before any expression. It defines
 * `_fb_evaluate(...)` (the entry point the worker core calls), the objects expressions see
 * (users, groups, the flow plan, the HTTP request — shaped like authentik's), authentik's
 * evaluator helpers, the small `authentik.*` / `django.*` modules fixture expressions import,
 * and `_fb_lockdown()`, the Python-level layer of the sandbox (the hosts are the real boundary).
 *
 * Kept as a TypeScript string so both hosts bundle it without a loader; it must contain no
 * backtick and no dollar-brace sequence.
 */
export const PRELUDE_SOURCE = String.raw`
import builtins as _builtins
import datetime as _dt
import gc as _gc
import ipaddress as _ipaddress
import json as _json
import re as _re
import sys as _sys
import textwrap as _textwrap
import time as _time
import traceback as _traceback
import types as _types
import unicodedata as _unicodedata

_TAG = "$fb"
_MAX_DEPTH = 64


class _NeedHost(BaseException):
    """Raised when an expression asks the host for something this attempt has no answer for."""


class _State:
    def reset(self, answers, limits):
        self.answers = answers
        self.missing = {}
        self.messages = []
        self.logs = []
        self.out = []
        self.out_len = 0
        self.truncated = False
        self.events = []
        self.limits = limits


_S = _State()
_S.reset({}, {"outputChars": 65536, "messageChars": 4096, "resultChars": 262144})


def _clip(text, limit=None):
    limit = _S.limits["messageChars"] if limit is None else limit
    text = str(text)
    if len(text) > limit:
        _S.truncated = True
        return text[:limit] + "... [truncated]"
    return text


def _host(fn, **args):
    key = _json.dumps([fn, args], sort_keys=True, separators=(",", ":"), default=str)
    if key in _S.answers:
        return _S.answers[key]
    if len(_S.missing) < 64:
        _S.missing[key] = {"key": key, "fn": fn, "args": args}
    raise _NeedHost(key)


class _Capture:
    """sys.stdout / sys.stderr while an expression runs: print() output, bounded."""

    def write(self, text):
        text = str(text)
        room = _S.limits["outputChars"] - _S.out_len
        if room <= 0:
            if text:
                _S.truncated = True
            return len(text)
        if len(text) > room:
            _S.truncated = True
            text = text[:room]
        _S.out.append(text)
        _S.out_len += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


# ---------------------------------------------------------------------------------------------
# Django-like querysets over in-memory objects


class DoesNotExist(Exception):
    pass


class MultipleObjectsReturned(Exception):
    pass


def _lookup(obj, path):
    value = obj
    for part in path:
        if isinstance(value, dict):
            value = value.get(part)
        else:
            value = getattr(value, part, None)
    return value


_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "iexact": lambda a, b: a is not None and b is not None and str(a).lower() == str(b).lower(),
    "contains": lambda a, b: a is not None and b in a,
    "icontains": lambda a, b: a is not None and str(b).lower() in str(a).lower(),
    "in": lambda a, b: a in b,
    "startswith": lambda a, b: a is not None and str(a).startswith(str(b)),
    "istartswith": lambda a, b: a is not None and str(a).lower().startswith(str(b).lower()),
    "endswith": lambda a, b: a is not None and str(a).endswith(str(b)),
    "iendswith": lambda a, b: a is not None and str(a).lower().endswith(str(b).lower()),
    "isnull": lambda a, b: (a is None) == bool(b),
    "gt": lambda a, b: a is not None and a > b,
    "gte": lambda a, b: a is not None and a >= b,
    "lt": lambda a, b: a is not None and a < b,
    "lte": lambda a, b: a is not None and a <= b,
    "regex": lambda a, b: a is not None and _re.search(b, str(a)) is not None,
}


def _matches(obj, filters):
    for key, expected in filters.items():
        parts = key.split("__")
        op = "exact"
        if len(parts) > 1 and parts[-1] in _LOOKUPS:
            op = parts.pop()
        if parts == ["id"]:
            parts = ["pk"]
        actual = _lookup(obj, parts)
        if isinstance(expected, (User, Group)):
            expected = expected.pk
            if isinstance(actual, (User, Group)):
                actual = actual.pk
        if not _LOOKUPS[op](actual, expected):
            return False
    return True


class QuerySet:
    def __init__(self, items, model="object"):
        self._items = list(items)
        self._model = model

    def all(self):
        return QuerySet(self._items, self._model)

    def filter(self, *args, **filters):
        if args:
            raise TypeError("Q objects are not supported in Flowbench expressions; use keyword filters")
        return QuerySet([i for i in self._items if _matches(i, filters)], self._model)

    def exclude(self, **filters):
        return QuerySet([i for i in self._items if not _matches(i, filters)], self._model)

    def exists(self):
        return bool(self._items)

    def count(self):
        return len(self._items)

    def first(self):
        return self._items[0] if self._items else None

    def last(self):
        return self._items[-1] if self._items else None

    def get(self, **filters):
        found = self.filter(**filters)._items
        if not found:
            raise DoesNotExist(self._model + " matching query does not exist.")
        if len(found) > 1:
            raise MultipleObjectsReturned("get() returned more than one " + self._model + " -- it returned " + str(len(found)) + "!")
        return found[0]

    def order_by(self, *fields):
        items = list(self._items)
        for field in reversed(fields):
            reverse = field.startswith("-")
            name = field.lstrip("-")
            items.sort(key=lambda i: (_lookup(i, name.split("__")) is None, _lookup(i, name.split("__"))), reverse=reverse)
        return QuerySet(items, self._model)

    def values_list(self, *fields, flat=False):
        if flat:
            if len(fields) != 1:
                raise TypeError("'flat' is not valid when values_list is called with more than one field.")
            return [_lookup(i, fields[0].split("__")) for i in self._items]
        return [tuple(_lookup(i, f.split("__")) for f in fields) for i in self._items]

    def values(self, *fields):
        return [{f: _lookup(i, f.split("__")) for f in fields} for i in self._items]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __bool__(self):
        return bool(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return QuerySet(self._items[index], self._model)
        return self._items[index]

    def __contains__(self, item):
        return item in self._items

    def __repr__(self):
        return "<QuerySet " + repr(self._items) + ">"


class _RelatedManager:
    """A many-to-many manager: like Django's, not iterable itself (use .all())."""

    def __init__(self, items, model):
        self._qs = QuerySet(items, model)

    def all(self):
        return self._qs.all()

    def filter(self, *args, **filters):
        return self._qs.filter(*args, **filters)

    def exclude(self, **filters):
        return self._qs.exclude(**filters)

    def exists(self):
        return self._qs.exists()

    def count(self):
        return self._qs.count()

    def first(self):
        return self._qs.first()

    def get(self, **filters):
        return self._qs.get(**filters)

    def values_list(self, *fields, flat=False):
        return self._qs.values_list(*fields, flat=flat)

    def order_by(self, *fields):
        return self._qs.order_by(*fields)


# ---------------------------------------------------------------------------------------------
# Model objects


def _parse_datetime(value):
    if not value:
        return None
    try:
        return _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


class Group:
    def __init__(self, snap, registry=None):
        self.pk = snap.get("pk")
        self.group_uuid = self.pk
        self.name = snap.get("name", "")
        self.is_superuser = bool(snap.get("is_superuser", False))
        self.attributes = _decode(snap.get("attributes") or {})
        self._parent_pk = snap.get("parent")
        self._registry = registry if registry is not None else {}

    @property
    def parent(self):
        if self._parent_pk is None:
            return None
        return self._registry.get(self._parent_pk)

    @property
    def parent_id(self):
        return self._parent_pk

    def __str__(self):
        return self.name

    def __repr__(self):
        return "<Group: " + self.name + ">"

    def __eq__(self, other):
        return isinstance(other, Group) and other.pk == self.pk

    def __hash__(self):
        return hash(("group", self.pk))


class User:
    """authentik's User as expressions see it (fields, groups, attributes, helpers)."""

    def __init__(self, snap):
        self._snap = snap
        self.pk = snap.get("pk")
        self.id = self.pk
        self.uuid = snap.get("uuid")
        self.username = snap.get("username", "")
        self.name = snap.get("name", "")
        self.email = snap.get("email", "")
        self.is_active = bool(snap.get("is_active", False))
        self.type = snap.get("type", "internal")
        self.path = snap.get("path", "users")
        self.attributes = _decode(snap.get("attributes") or {})
        self.last_login = _parse_datetime(snap.get("last_login"))
        self.date_joined = _parse_datetime(snap.get("date_joined"))
        self.password_change_date = _parse_datetime(snap.get("password_change_date"))
        registry = {}
        all_groups = [Group(g, registry) for g in snap.get("all_groups") or []]
        for group in all_groups:
            registry[group.pk] = group
        direct = [registry.get(pk) or Group({"pk": pk, "name": ""}, registry) for pk in snap.get("groups") or []]
        self._all_groups = all_groups
        self.ak_groups = _RelatedManager(direct, "Group")
        self.groups = self.ak_groups
        if "backend" in snap:
            self.backend = snap["backend"]

    @property
    def is_authenticated(self):
        return not self._snap.get("is_anonymous", False)

    @property
    def is_anonymous(self):
        return bool(self._snap.get("is_anonymous", False))

    @property
    def is_superuser(self):
        return bool(self._snap.get("is_superuser", False))

    @property
    def is_staff(self):
        return self.is_superuser

    def all_groups(self):
        return QuerySet(self._all_groups, "Group")

    def group_attributes(self, request=None):
        merged = {}
        for group in sorted(self._all_groups, key=lambda g: g.name):
            _deep_merge(merged, group.attributes)
        _deep_merge(merged, self.attributes)
        return merged

    def has_usable_password(self):
        return bool(self._snap.get("has_usable_password", False))

    def get_username(self):
        return self.username

    def get_full_name(self):
        return self.name

    def __str__(self):
        return self.username

    def __repr__(self):
        return "<User: " + self.username + ">"

    def __eq__(self, other):
        if not isinstance(other, User):
            return False
        if self.pk is None or other.pk is None:
            return self is other
        return other.pk == self.pk

    def __hash__(self):
        return hash(("user", self.pk if self.pk is not None else id(self)))


def _deep_merge(target, source):
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        elif isinstance(value, list) and isinstance(target.get(key), list):
            target[key] = target[key] + value
        else:
            target[key] = value
    return target


class _QueryDict(dict):
    def getlist(self, key, default=None):
        if key in self:
            return [self[key]]
        return [] if default is None else default


class HttpRequest:
    def __init__(self, snap):
        self._snap = snap
        self.method = "GET"
        self.scheme = snap.get("scheme", "http")
        self._host = snap.get("host", "localhost")
        self.path = snap.get("path", "/")
        self.GET = _QueryDict(snap.get("query") or {})
        self.POST = _QueryDict()
        self.META = {"REMOTE_ADDR": snap.get("ip", ""), "HTTP_USER_AGENT": snap.get("user_agent", ""), "HTTP_HOST": self._host}
        self.headers = {"User-Agent": snap.get("user_agent", ""), "Host": self._host}
        user = snap.get("user")
        self.user = _decode(user) if user is not None else None
        self.session = {}

    def get_host(self):
        return self._host

    def is_secure(self):
        return self.scheme == "https"

    def build_absolute_uri(self, location=None):
        base = self.scheme + "://" + self._host
        if location is None:
            return base + self.path
        location = str(location)
        if "://" in location:
            return location
        if not location.startswith("/"):
            location = self.path.rsplit("/", 1)[0] + "/" + location
        return base + location

    def get_full_path(self):
        return self.path


class PolicyTarget:
    """request.obj: the flow or binding the policy is evaluated for."""

    def __init__(self, snap):
        self.kind = snap.get("kind")
        self.pk = snap.get("pk")
        self.name = snap.get("label", "")
        for key, value in (snap.get("fields") or {}).items():
            setattr(self, key, value)

    def __str__(self):
        return str(self.name)

    def __repr__(self):
        return "<" + str(self.kind) + ": " + str(self.name) + ">"


class FlowPlan:
    def __init__(self, snap):
        self.flow_pk = snap.get("flow_pk")
        self.bindings = list(snap.get("bindings") or [])
        self.markers = list(snap.get("markers") or [])
        self._context = _decode(snap.get("context") or {})
        # Encoded on first access: an expression that never touches flow_plan.context cannot
        # have written to it, and comparing costs more than the expression.
        self._before = None
        self._ops = []

    @property
    def context(self):
        if self._before is None:
            self._before = _encode(self._context)
        return self._context

    @context.setter
    def context(self, value):
        if self._before is None:
            self._before = _encode(self._context)
        self._context = value

    def _changed_context(self):
        if self._before is None:
            return None
        after = _encode(self._context)
        return after if after != self._before else None

    def has_stages(self):
        return bool(self.bindings)

    def redirect(self, destination):
        self._ops.append({"op": "redirect", "destination": str(destination)})

    def pop(self):
        self._ops.append({"op": "pop"})
        if self.bindings:
            self.bindings.pop(0)
            if self.markers:
                self.markers.pop(0)

    def insert_stage(self, *args, **kwargs):
        raise NotImplementedError("flow_plan.insert_stage() is not available in Flowbench expressions (stage objects are not modeled); use a stage binding instead")

    def append_stage(self, *args, **kwargs):
        raise NotImplementedError("flow_plan.append_stage() is not available in Flowbench expressions (stage objects are not modeled); use a stage binding instead")

    def __repr__(self):
        return "<FlowPlan flow=" + str(self.flow_pk) + ">"


class PolicyRequest:
    def __init__(self, snap, context):
        self.user = _decode(snap.get("user"))
        http = snap.get("http_request")
        self.http_request = _decode(http) if http is not None else None
        obj = snap.get("obj")
        self.obj = _decode(obj) if obj is not None else None
        self.context = context
        self.debug = bool(snap.get("debug", False))

    def __repr__(self):
        return "<PolicyRequest user=" + repr(self.user) + ">"


class PolicyResult:
    def __init__(self, passing, *messages):
        self.passing = bool(passing)
        self.messages = tuple(messages)
        self.raw_result = None

    def __bool__(self):
        return self.passing

    def __repr__(self):
        return "<PolicyResult passing=" + str(self.passing) + ">"


class Event:
    def __init__(self, action, context):
        self.action = action
        self.context = context

    def save(self):
        return self

    def set_user(self, user):
        return self

    def from_http(self, request, user=None):
        return self


# ---------------------------------------------------------------------------------------------
# Wire values (JSON with "$fb"-tagged objects) in and out


def _decode(value):
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if tag is None:
            return {k: _decode(v) for k, v in value.items()}
        if tag == "dict":
            return {k: _decode(v) for k, v in value["value"].items()}
        if tag == "user":
            return User(value)
        if tag == "group":
            return Group(value)
        if tag == "plan":
            return FlowPlan(value)
        if tag == "http":
            return HttpRequest(value)
        if tag == "obj":
            return PolicyTarget(value)
        if tag == "datetime":
            return _parse_datetime(value.get("value"))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _encode(value, depth=0):
    if depth > _MAX_DEPTH:
        raise ValueError("the value nests more than " + str(_MAX_DEPTH) + " levels deep")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if -(2 ** 53) < value < 2 ** 53:
            return value
        return {_TAG: "repr", "repr": _clip(repr(value)), "type": "int"}
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {_TAG: "repr", "repr": repr(value), "type": "float"}
        return value
    if isinstance(value, dict):
        out = {str(k): _encode(v, depth + 1) for k, v in value.items()}
        return {_TAG: "dict", "value": out} if _TAG in out else out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_encode(v, depth + 1) for v in value]
    if isinstance(value, User):
        snap = {_TAG: "user", "pk": value.pk, "username": value.username, "is_anonymous": value.is_anonymous}
        if value.pk is None and not value.is_anonymous:
            snap["email"] = value.email
            snap["name"] = value.name
            snap["attributes"] = _encode(value.attributes, depth + 1)
        if "backend" in value.__dict__:
            snap["backend"] = str(value.backend)
        return snap
    if isinstance(value, Group):
        return {_TAG: "group", "pk": value.pk, "name": value.name}
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (_ipaddress.IPv4Address, _ipaddress.IPv6Address, _ipaddress.IPv4Network, _ipaddress.IPv6Network)):
        return str(value)
    return {_TAG: "repr", "repr": _clip(repr(value)), "type": type(value).__name__}


# ---------------------------------------------------------------------------------------------
# authentik's evaluator helpers


def ak_message(message):
    if len(_S.messages) < 1000:
        _S.messages.append(_clip(message))
    else:
        _S.truncated = True


class _Logger:
    """ak_logger: a structlog-style logger; every line lands in the trace."""

    def _log(self, level, event, *args, **kwargs):
        text = str(event)
        if args:
            try:
                text = text % args
            except (TypeError, ValueError):
                text = text + " " + " ".join(str(a) for a in args)
        if kwargs:
            text = text + " " + " ".join(k + "=" + repr(v) for k, v in kwargs.items())
        if len(_S.logs) < 1000:
            _S.logs.append({"level": level, "message": _clip(text)})
        else:
            _S.truncated = True

    def debug(self, event, *args, **kwargs):
        self._log("debug", event, *args, **kwargs)

    def info(self, event, *args, **kwargs):
        self._log("info", event, *args, **kwargs)

    def msg(self, event, *args, **kwargs):
        self._log("info", event, *args, **kwargs)

    def warning(self, event, *args, **kwargs):
        self._log("warning", event, *args, **kwargs)

    warn = warning

    def error(self, event, *args, **kwargs):
        self._log("error", event, *args, **kwargs)

    def exception(self, event, *args, **kwargs):
        self._log("error", event, *args, **kwargs)

    def critical(self, event, *args, **kwargs):
        self._log("error", event, *args, **kwargs)

    def bind(self, **kwargs):
        return self


ak_logger = _Logger()


def ak_is_group_member(user, **group_filters):
    return user.all_groups().filter(**group_filters).exists()


_USER_FILTER_FIELDS = ("pk", "id", "uuid", "username", "email", "name", "path", "is_active", "type")


def ak_user_by(**filters):
    for key in filters:
        base = key.split("__")[0]
        if base not in _USER_FILTER_FIELDS or (key != base and not key.endswith("__iexact")):
            # authentik answers None for a field Django does not know; Flowbench also for a lookup it does not model.
            ak_logger.warning("ak_user_by: Flowbench filters users on " + ", ".join(_USER_FILTER_FIELDS) + " (optionally __iexact); returning None for " + repr(key))
            return None
    encoded = {k: _encode(v) for k, v in filters.items()}
    found = _host("user_by", filters=encoded)
    return User(found) if found else None


def ak_user_has_authenticator(user, device_type=None):
    if user is None or getattr(user, "pk", None) is None:
        return False
    return bool(_host("user_has_authenticator", user=user.pk, device_type=device_type))


def ak_call_policy(name, **kwargs):
    answer = _host("call_policy", name=str(name), kwargs={k: _encode(v) for k, v in kwargs.items()})
    if isinstance(answer, dict) and answer.get("error"):
        raise ValueError(answer["error"])
    result = PolicyResult(answer.get("passing", False), *answer.get("messages", []))
    return result


def ak_create_event(action, **kwargs):
    context = {k: _encode(v) for k, v in kwargs.items()}
    if len(_S.events) < 100:
        _S.events.append({"action": str(action), "context": context})
    else:
        _S.truncated = True
    return None


def _unavailable(name, why):
    def unavailable(*args, **kwargs):
        raise RuntimeError(name + " is not available in Flowbench: " + why)

    unavailable.__name__ = name
    return unavailable


ak_create_jwt = _unavailable("ak_create_jwt", "tokens are signed by the authentik server")
ak_send_email = _unavailable("ak_send_email", "expressions cannot send email here")
resolve_dns = _unavailable("resolve_dns", "expressions have no network access")
reverse_dns = _unavailable("reverse_dns", "expressions have no network access")


class _NoRequests:
    """Stands in for the requests library: every use says why it cannot work."""

    def __getattr__(self, name):
        raise RuntimeError("requests." + name + " is not available in Flowbench: expressions have no network access")


requests = _NoRequests()


def regex_match(value, regex):
    return _re.search(regex, value) is not None


def regex_replace(value, regex, repl):
    return _re.sub(regex, repl, value)


def list_flatten(value):
    if isinstance(value, list):
        if len(value) < 1:
            return None
        return value[0]
    return value


def slugify(value, allow_unicode=False):
    value = str(value)
    if allow_unicode:
        value = _unicodedata.normalize("NFKC", value)
    else:
        value = _unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = _re.sub(r"[^\w\s-]", "", value.lower())
    return _re.sub(r"[-\s]+", "-", value).strip("-_")


ip_address = _ipaddress.ip_address
ip_network = _ipaddress.ip_network


# ---------------------------------------------------------------------------------------------
# The authentik / django modules expressions import


class ValidationError(Exception):
    def __init__(self, message, code=None, params=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params
        self.messages = [str(message)]


_URL_HOST = r"(?:(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?)(?:\.(?!-)[a-z0-9\u00a1-\uffff-]{1,63}(?<!-))*\.(?!-)(?:[a-z\u00a1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\.?|localhost)"
_URL_IPV4 = r"(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)(?:\.(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)){3}"
_URL_RE = _re.compile(
    r"^(?:[a-z0-9.+-]*)://(?:[^\s:@/]+(?::[^\s:@/]*)?@)?(?:" + _URL_IPV4 + r"|\[[0-9a-f:.]+\]|" + _URL_HOST + r")(?::[0-9]{1,5})?(?:[/?#][^\s]*)?\Z",
    _re.IGNORECASE,
)


class URLValidator:
    """django.core.validators.URLValidator: http(s)/ftp(s) URLs with a real host."""

    schemes = ["http", "https", "ftp", "ftps"]
    message = "Enter a valid URL."
    code = "invalid"
    max_length = 2048

    def __init__(self, schemes=None, message=None, code=None):
        if schemes is not None:
            self.schemes = schemes
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        if not isinstance(value, str) or len(value) > self.max_length:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if any(c in value for c in "\t\r\n"):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        scheme = value.split("://")[0].lower()
        if scheme not in self.schemes:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if not _URL_RE.match(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        host = value.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
        if host.startswith("["):
            try:
                _ipaddress.IPv6Address(host[1 : host.index("]")])
            except ValueError:
                raise ValidationError(self.message, code=self.code, params={"value": value}) from None
        elif len(host.split(":")[0]) > 253:
            raise ValidationError(self.message, code=self.code, params={"value": value})


_EMAIL_RE = _re.compile(r"^[-!#$%&'*+/=?^_{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_{}|~0-9A-Z]+)*@(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)\Z", _re.IGNORECASE)


class EmailValidator:
    message = "Enter a valid email address."
    code = "invalid"

    def __call__(self, value):
        if not isinstance(value, str) or not _EMAIL_RE.match(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})


validate_email = EmailValidator()


class _SystemSettings:
    """authentik's system settings with their defaults (Flowbench does not model tenants)."""

    avatars = "gravatar,initials"
    default_user_change_name = True
    default_user_change_email = False
    default_user_change_username = False
    event_retention = "days=365"
    footer_links = []
    gdpr_compliance = True
    impersonation = True
    impersonation_require_reason = True
    default_token_duration = "days=1"
    default_token_length = 60
    reputation_lower_limit = -5
    reputation_upper_limit = 5
    flags = {}


def get_system_settings():
    return _SystemSettings()


class _UserManager:
    def get(self, **filters):
        user = ak_user_by(**filters)
        if user is None:
            raise DoesNotExist("User matching query does not exist.")
        return user

    def filter(self, **filters):
        user = ak_user_by(**filters)
        return QuerySet([user] if user else [], "User")


User.objects = _UserManager()
User.DoesNotExist = DoesNotExist
Group.DoesNotExist = DoesNotExist


def _module(name, **members):
    module = _types.ModuleType(name)
    module.__dict__.update(members)
    return module


_STUB_MODULES = {
    "authentik": _module("authentik"),
    "authentik.core": _module("authentik.core"),
    "authentik.core.models": _module(
        "authentik.core.models",
        User=User,
        Group=Group,
        USER_ATTRIBUTE_CHANGE_EMAIL="goauthentik.io/user/can-change-email",
        USER_ATTRIBUTE_CHANGE_NAME="goauthentik.io/user/can-change-name",
        USER_ATTRIBUTE_CHANGE_USERNAME="goauthentik.io/user/can-change-username",
        USER_ATTRIBUTE_DEBUG="goauthentik.io/user/debug",
        USER_ATTRIBUTE_EXPIRES="goauthentik.io/user/expires",
        USER_ATTRIBUTE_DELETE_ON_LOGOUT="goauthentik.io/user/delete-on-logout",
        USER_ATTRIBUTE_GENERATED="goauthentik.io/user/generated",
        USER_ATTRIBUTE_SA="goauthentik.io/user/service-account",
        USER_ATTRIBUTE_SOURCES="goauthentik.io/user/sources",
        USER_ATTRIBUTE_TOKEN_EXPIRING="goauthentik.io/user/token-expires",
        USER_ATTRIBUTE_TOKEN_MAXIMUM_LIFETIME="goauthentik.io/user/token-maximum-lifetime",
    ),
    "authentik.admin": _module("authentik.admin"),
    "authentik.admin.utils": _module("authentik.admin.utils", get_system_settings=get_system_settings),
    "authentik.policies": _module("authentik.policies"),
    "authentik.policies.types": _module("authentik.policies.types", PolicyRequest=PolicyRequest, PolicyResult=PolicyResult),
    "authentik.flows": _module("authentik.flows"),
    "authentik.flows.planner": _module(
        "authentik.flows.planner",
        FlowPlan=FlowPlan,
        PLAN_CONTEXT_PENDING_USER="pending_user",
        PLAN_CONTEXT_SSO="is_sso",
        PLAN_CONTEXT_REDIRECT="redirect",
        PLAN_CONTEXT_APPLICATION="application",
        PLAN_CONTEXT_SOURCE="source",
    ),
    "authentik.stages": _module("authentik.stages"),
    "authentik.stages.prompt": _module("authentik.stages.prompt"),
    "authentik.stages.prompt.stage": _module("authentik.stages.prompt.stage", PLAN_CONTEXT_PROMPT="prompt_data"),
    "django": _module("django"),
    "django.core": _module("django.core"),
    "django.core.exceptions": _module("django.core.exceptions", ValidationError=ValidationError, ObjectDoesNotExist=DoesNotExist),
    "django.core.validators": _module("django.core.validators", URLValidator=URLValidator, EmailValidator=EmailValidator, validate_email=validate_email),
    "django.utils": _module("django.utils"),
    "django.utils.text": _module("django.utils.text", slugify=slugify),
    "django.utils.timezone": _module("django.utils.timezone", now=lambda: _dt.datetime.now(_dt.timezone.utc)),
}
for _name, _mod in _STUB_MODULES.items():
    if "." in _name:
        _parent, _child = _name.rsplit(".", 1)
        setattr(_STUB_MODULES[_parent], _child, _mod)
    _mod.__path__ = []


# ---------------------------------------------------------------------------------------------
# Evaluation


_HELPERS = {
    "ak_message": ak_message,
    "ak_logger": ak_logger,
    "ak_is_group_member": ak_is_group_member,
    "ak_user_by": ak_user_by,
    "ak_user_has_authenticator": ak_user_has_authenticator,
    "ak_call_policy": ak_call_policy,
    "ak_create_event": ak_create_event,
    "ak_create_jwt": ak_create_jwt,
    "ak_send_email": ak_send_email,
    "regex_match": regex_match,
    "regex_replace": regex_replace,
    "list_flatten": list_flatten,
    "ip_address": ip_address,
    "ip_network": ip_network,
    "slugify": slugify,
    "requests": requests,
    "resolve_dns": resolve_dns,
    "reverse_dns": reverse_dns,
}

_CACHE = {}
_CACHE_LIMIT = 512


def _compile(source, filename, names):
    key = (source, filename, names)
    entry = _CACHE.get(key)
    if entry is not None:
        return entry
    text = "def handler(" + ", ".join(names) + "):\n" + _textwrap.indent(source, "    ") + "\n"
    code = compile(text, filename, "exec")
    scope = {"__builtins__": _builtins, "__name__": "expression"}
    exec(code, scope)
    entry = scope["handler"]
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = entry
    return entry


def _describe(exc, filename):
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename and exc.lineno:
        line = max(1, exc.lineno - 1)
    frames = [f for f in _traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if frames and frames[-1].lineno:
        line = max(1, frames[-1].lineno - 1)
    lines = []
    for frame in frames:
        lines.append('  File "' + filename + '", line ' + str(max(1, (frame.lineno or 1) - 1)) + ", in " + ("<expression>" if frame.name == "handler" else frame.name))
    lines.extend(_traceback.format_exception_only(type(exc), exc))
    # authentik's message is str(exc) as Python gives it (a SyntaxError names the wrapped line).
    message = str(exc)
    return {"type": type(exc).__name__, "message": _clip(message), "line": line, "traceback": _clip("".join(l if l.endswith("\n") else l + "\n" for l in lines))}


def _fb_evaluate(source, filename, vars_json, answers_json, limits_json):
    _S.reset(_json.loads(answers_json), _json.loads(limits_json))
    raw = _json.loads(vars_json)
    context = _decode(raw.pop("context", {}))
    variables = {}
    for name, value in raw.items():
        if name == "request":
            variables[name] = PolicyRequest(value, context)
        else:
            variables[name] = _decode(value)
    variables["context"] = context
    plan = context.get("flow_plan") if isinstance(context, dict) else None
    names = tuple(sorted(variables))
    started = _time.perf_counter()
    result = None
    error = None
    saved = (_sys.stdout, _sys.stderr)
    _sys.stdout = _sys.stderr = _Capture()
    try:
        handler = _compile(source, filename, names)
        scope = handler.__globals__
        scope.clear()
        scope["__builtins__"] = _builtins
        scope["__name__"] = "expression"
        scope.update(_HELPERS)
        result = handler(*[variables[n] for n in names])
    except _NeedHost:
        pass
    except KeyboardInterrupt:
        error = {"type": "KeyboardInterrupt", "message": "The expression was interrupted (time limit)", "line": None, "traceback": ""}
    except BaseException as exc:
        error = _describe(exc, filename)
    finally:
        _sys.stdout, _sys.stderr = saved
        _restore()
    duration = (_time.perf_counter() - started) * 1000
    if _S.missing:
        return _json.dumps({"need": list(_S.missing.values())})
    encoded = None
    repr_text = "None"
    truthy = False
    if error is None:
        try:
            truthy = bool(result)
            repr_text = _clip(repr(result))
            encoded = _encode(result)
            if len(_json.dumps(encoded)) > _S.limits["resultChars"]:
                _S.truncated = True
                encoded = {_TAG: "repr", "repr": repr_text, "type": type(result).__name__}
        except BaseException as exc:
            error = _describe(exc, filename)
            encoded = None
    plan_out = None
    if isinstance(plan, FlowPlan):
        try:
            after = plan._changed_context()
        except BaseException as exc:
            error = error or _describe(exc, filename)
            after = None
        if after is not None or plan._ops:
            plan_out = {"context": after, "ops": plan._ops}
    outcome = {
        "result": encoded,
        "truthy": truthy,
        "repr": repr_text,
        "messages": _S.messages,
        "logs": _S.logs,
        "output": "".join(_S.out),
        "truncated": _S.truncated,
        "error": error,
        "events": _S.events,
        "plan": plan_out,
        "durationMs": duration,
    }
    try:
        return _json.dumps(outcome, default=str)
    except BaseException as exc:
        outcome["result"] = None
        outcome["error"] = _describe(exc, filename)
        return _json.dumps(outcome, default=repr)


# ---------------------------------------------------------------------------------------------
# The Python layer of the sandbox. Not the boundary (the host process / renderer is): it keeps
# honest expressions from reaching the JS bridge by accident and makes attacks work harder.

_BLOCKED_ROOTS = frozenset({
    "js", "pyodide", "pyodide_js", "_pyodide", "_pyodide_core", "micropip", "ctypes", "_ctypes",
    "socket", "_socket", "ssl", "_ssl", "select", "selectors", "asyncio", "_asyncio", "subprocess",
    "_posixsubprocess", "multiprocessing", "_multiprocessing", "ftplib", "smtplib", "imaplib",
    "poplib", "telnetlib", "xmlrpc", "webbrowser", "gc", "_emscripten_info", "emscripten", "pyodide_http",
})
_BLOCKED_NAMES = frozenset({"urllib.request", "http.client", "http.server", "http.cookiejar"})


def _blocked(name):
    if name.split(".")[0] in _BLOCKED_ROOTS:
        return True
    return any(name == b or name.startswith(b + ".") for b in _BLOCKED_NAMES)


class _Blocker:
    """First meta-path finder: refuses the JS bridge, the network and process modules."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        root = name.split(".")[0]
        if _blocked(name):
            raise ImportError("import of " + repr(name) + " is not allowed in Flowbench expressions", name=name)
        if root in ("authentik", "django"):
            raise ImportError("No module named " + repr(name) + " (Flowbench provides: " + ", ".join(n for n in _STUB_MODULES if n.count(".") >= 1) + ")", name=name)
        return None

    @staticmethod
    def find_module(name, path=None):
        return None


_SAVED = {}


def _restore():
    """Undo what an expression did to the interpreter's shared state (import guard, builtins),
    so one evaluation cannot weaken the sandbox or change the results of the next."""
    if not _SAVED:
        return
    _sys.meta_path = list(_SAVED["meta_path"])
    _sys.path_hooks = list(_SAVED["path_hooks"])
    _sys.path = list(_SAVED["path"])
    current = _builtins.__dict__
    for key in [k for k in current if k not in _SAVED["builtins"]]:
        del current[key]
    for key, value in _SAVED["builtins"].items():
        if current.get(key) is not value:
            current[key] = value
    if len(_sys.modules) != _SAVED["module_count"]:
        for name in [n for n in _sys.modules if _blocked(n)]:
            del _sys.modules[name]
        _sys.modules.update(_STUB_MODULES)
        _SAVED["module_count"] = len(_sys.modules)
    for name, value in _SAVED["sys"].items():
        if getattr(_sys, name, None) is not value:
            setattr(_sys, name, value)
    _SAVED["reset_limit"]()


def _fb_lockdown():
    _real_import = _builtins.__import__

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0:
            root = name.split(".")[0]
            if _blocked(name) or any(_blocked(name + "." + str(f)) for f in fromlist or ()):
                raise ImportError("import of " + repr(name) + " is not allowed in Flowbench expressions", name=name)
            if name in _STUB_MODULES:
                module = _STUB_MODULES[name]
                return module if fromlist else _STUB_MODULES[root]
        return _real_import(name, globals, locals, fromlist, level)

    for name in list(_sys.modules):
        if _blocked(name):
            del _sys.modules[name]
    _sys.modules.update(_STUB_MODULES)
    _sys.meta_path[:] = [_Blocker] + [f for f in _sys.meta_path if "pyodide" not in type(f).__module__ and "pyodide" not in getattr(f, "__module__", "")]
    _builtins.__import__ = guarded_import
    _limit = _sys.getrecursionlimit()
    _real_setlimit = _sys.setrecursionlimit

    def setrecursionlimit(limit):
        if limit > _limit:
            raise ValueError("Flowbench expressions cannot raise the recursion limit above " + str(_limit))
        _real_setlimit(limit)

    _sys.setrecursionlimit = setrecursionlimit
    _SAVED["reset_limit"] = lambda: _real_setlimit(_limit)
    for name in ("breakpointhook", "settrace", "setprofile", "addaudithook", "remote_exec", "_getframe", "_current_frames"):
        if hasattr(_sys, name) and name != "_getframe":
            try:
                delattr(_sys, name)
            except (AttributeError, TypeError):
                pass
    _SAVED["meta_path"] = tuple(_sys.meta_path)
    _SAVED["path_hooks"] = tuple(_sys.path_hooks)
    _SAVED["path"] = tuple(_sys.path)
    _SAVED["builtins"] = dict(_builtins.__dict__)
    _SAVED["module_count"] = len(_sys.modules)
    _SAVED["sys"] = {n: getattr(_sys, n) for n in ("setrecursionlimit", "modules", "stdout", "stderr", "excepthook") if hasattr(_sys, n)}
    # The prelude's objects live as long as the interpreter: keep the collector off them.
    _gc.collect()
    _gc.freeze()
`;
