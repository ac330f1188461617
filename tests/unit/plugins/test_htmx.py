"""``outpour.plugins.htmx``: ``HTMXRequest`` reading HTMX's request headers, responses setting its response headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from outpour import Outpour, Request, get
from outpour.datastructures import ResponseHeader
from outpour.exceptions import ImproperlyConfiguredException
from outpour.plugins.htmx import (
    ClientRedirect,
    ClientRefresh,
    HTMXConfig,
    HTMXHeaders,
    HTMXPlugin,
    HTMXRequest,
    HTMXTemplate,
    HXLocation,
    HXStopPolling,
    PushUrl,
    ReplaceUrl,
    Reswap,
    Retarget,
    TriggerEvent,
)
from outpour.plugins.jinja import JinjaTemplateEngine
from outpour.response import Response, Template
from outpour.template.config import TemplateConfig
from outpour.testing import create_test_client


@get("/details", sync_to_thread=False)
def details(request: HTMXRequest) -> dict[str, Any]:
    htmx = request.htmx
    return {
        "htmx": bool(htmx),
        "boosted": htmx.boosted,
        "current_url": htmx.current_url,
        "current_url_abs_path": htmx.current_url_abs_path,
        "history_restore_request": htmx.history_restore_request,
        "prompt": htmx.prompt,
        "target": htmx.target,
        "trigger": htmx.trigger,
        "trigger_name": htmx.trigger_name,
        "triggering_event": htmx.triggering_event,
    }


NOTHING = {
    "htmx": False,
    "boosted": False,
    "current_url": None,
    "current_url_abs_path": None,
    "history_restore_request": False,
    "prompt": None,
    "target": None,
    "trigger": None,
    "trigger_name": None,
    "triggering_event": None,
}


@pytest.mark.parametrize(
    ("headers", "changed"),
    [
        pytest.param({}, {}, id="plain-request"),
        pytest.param({"HX-Request": "true"}, {"htmx": True}, id="htmx"),
        pytest.param({"HX-Request": "false"}, {}, id="htmx-false"),
        pytest.param({"HX-Boosted": "true"}, {"boosted": True}, id="boosted"),
        pytest.param({"HX-History-Restore-Request": "true"}, {"history_restore_request": True}, id="history"),
        pytest.param({"HX-Prompt": "Yes"}, {"prompt": "Yes"}, id="prompt"),
        pytest.param({"HX-Target": "results"}, {"target": "results"}, id="target"),
        pytest.param({"HX-Trigger": "save-button"}, {"trigger": "save-button"}, id="trigger"),
        pytest.param({"HX-Trigger-Name": "save"}, {"trigger_name": "save"}, id="trigger-name"),
        pytest.param(
            {"HX-Current-URL": "http://testserver.local/items/?page=2#top"},
            {"current_url": "http://testserver.local/items/?page=2#top", "current_url_abs_path": "/items/?page=2#top"},
            id="current-url-same-host",
        ),
        pytest.param(
            {"HX-Current-URL": "http://elsewhere.example/items/"},
            {"current_url": "http://elsewhere.example/items/"},
            id="current-url-other-host",
        ),
        pytest.param(
            {"HX-Prompt": "Gr%C3%BC%C3%9Fe", "HX-Prompt-URI-AutoEncoded": "true"}, {"prompt": "Grüße"}, id="uri-encoded"
        ),
        pytest.param({"HX-Prompt": "a%20b"}, {"prompt": "a%20b"}, id="not-uri-encoded"),
        pytest.param(
            {"Triggering-Event": '{"type": "click", "detail": {"n": 1}}'},
            {"triggering_event": {"type": "click", "detail": {"n": 1}}},
            id="triggering-event",
        ),
        pytest.param({"Triggering-Event": "{not json"}, {}, id="triggering-event-malformed"),
    ],
)
def test_htmx_details_read_the_request_headers(headers: dict[str, str], changed: dict[str, Any]) -> None:
    with create_test_client([details], plugins=[HTMXPlugin()]) as client:
        response = client.get("/details", headers=headers)
    assert response.status_code == 200
    assert response.json() == {**NOTHING, **changed}


def test_request_class_on_a_layer_without_the_plugin() -> None:
    with create_test_client([details], request_class=HTMXRequest) as client:
        assert client.get("/details", headers={"HX-Request": "true"}).json()["htmx"] is True


def test_plugin_keeps_an_htmx_request_subclass() -> None:
    class MyRequest(HTMXRequest):
        pass

    @get("/", sync_to_thread=False)
    def handler(request: MyRequest) -> str:
        return type(request).__name__

    with create_test_client([handler], plugins=[HTMXPlugin()], request_class=MyRequest) as client:
        assert client.get("/").text == "MyRequest"


def test_plugin_without_setting_the_request_class() -> None:
    @get("/", sync_to_thread=False)
    def handler(request: Request) -> str:
        return type(request).__name__

    plugin = HTMXPlugin(HTMXConfig(set_request_class_globally=False))
    with create_test_client([handler], plugins=[plugin]) as client:
        assert client.get("/").text == "Request"
    assert plugin.config == HTMXConfig(set_request_class_globally=False)


def test_plugin_refuses_another_request_class() -> None:
    class MyRequest(Request):
        pass

    with pytest.raises(ImproperlyConfiguredException, match="Derive that class from `HTMXRequest`"):
        Outpour([details], plugins=[HTMXPlugin()], request_class=MyRequest)


def test_plugin_adds_the_htmx_types_to_signature_types() -> None:
    app = Outpour([details], plugins=[HTMXPlugin()], signature_types=[Path])
    assert app.signature_types[0] is Path
    assert {HTMXRequest, HTMXTemplate, TriggerEvent} <= set(app.signature_types)
    assert len(app.signature_types) == len(set(app.signature_types))


def _headers_of(response: Response[Any], **client_options: Any) -> Any:
    @get("/", sync_to_thread=False)
    def handler() -> Response[Any]:
        return response

    with create_test_client([handler], **client_options) as client:
        return client.get("/")


@pytest.mark.parametrize(
    ("response", "header", "value"),
    [
        pytest.param(ClientRedirect("/login?next=/ä"), "HX-Redirect", "/login?next=/%C3%A4", id="client-redirect"),
        pytest.param(ClientRefresh(), "HX-Refresh", "true", id="client-refresh"),
        pytest.param(PushUrl("Saved", push_url="/items/7"), "HX-Push-Url", "/items/7", id="push-url"),
        pytest.param(PushUrl("Saved", push_url=False), "HX-Push-Url", "false", id="push-url-false"),
        pytest.param(ReplaceUrl("Saved", replace_url="/items/7"), "HX-Replace-Url", "/items/7", id="replace-url"),
        pytest.param(ReplaceUrl("Saved", replace_url=False), "HX-Replace-Url", "false", id="replace-url-false"),
        pytest.param(Reswap("Saved", method="outerHTML"), "HX-Reswap", "outerHTML", id="reswap"),
        pytest.param(Retarget("Saved", target="#errors"), "HX-Retarget", "#errors", id="retarget"),
        pytest.param(
            TriggerEvent("Saved", name="saved", after="receive", params={"id": 7}),
            "HX-Trigger",
            '{"saved":{"id":7}}',
            id="trigger-receive",
        ),
        pytest.param(
            TriggerEvent("Saved", name=["saved", "refresh"], after="settle"),
            "HX-Trigger-After-Settle",
            '{"saved":{},"refresh":{}}',
            id="trigger-names-settle",
        ),
        pytest.param(
            TriggerEvent("Saved", name={"saved": {"id": 7}, "toast": "Gespeichert \u2013 ok"}, after="swap"),
            "HX-Trigger-After-Swap",
            '{"saved":{"id":7},"toast":"Gespeichert \\u2013 ok"}',
            id="trigger-mapping-swap-non-ascii",
        ),
        pytest.param(TriggerEvent("Saved", name=[], after="receive"), "HX-Trigger", "{}", id="trigger-no-events"),
        pytest.param(HXLocation("/contact"), "HX-Location", '{"path":"/contact"}', id="location"),
        pytest.param(
            HXLocation(
                "/contact us",
                source="#nav",
                event="click",
                target="#main",
                select="#content",
                swap="innerHTML",
                hx_headers={"X-From": "nav"},
                values={"tab": "2"},
            ),
            "HX-Location",
            '{"path":"/contact%20us","source":"#nav","event":"click","target":"#main","select":"#content",'
            '"swap":"innerHTML","values":{"tab":"2"},"headers":{"X-From":"nav"}}',
            id="location-all-fields",
        ),
    ],
)
def test_responses_set_their_htmx_header(response: Response[Any], header: str, value: str) -> None:
    answer = _headers_of(response)
    assert (answer.status_code, answer.headers[header]) == (200, value)


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(ClientRedirect("/login"), id="client-redirect"),
        pytest.param(ClientRefresh(), id="client-refresh"),
        pytest.param(HXLocation("/contact"), id="location"),
    ],
)
def test_header_only_responses_have_an_empty_body_and_no_location(response: Response[Any]) -> None:
    answer = _headers_of(response)
    assert (answer.status_code, answer.content, answer.headers.get("location")) == (200, b"", None)


def test_stop_polling() -> None:
    answer = _headers_of(HXStopPolling())
    assert (answer.status_code, answer.content) == (286, b"")


def test_responses_keep_content_options_and_layered_headers() -> None:
    response = PushUrl({"id": 7}, push_url="/items/7", status_code=201, cookies={"seen": "1"})
    answer = _headers_of(response, response_headers=[ResponseHeader(name="x-app", value="demo")])
    assert (answer.status_code, answer.json(), answer.cookies["seen"]) == (201, {"id": 7}, "1")
    assert (answer.headers["hx-push-url"], answer.headers["x-app"]) == ("/items/7", "demo")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda: TriggerEvent("x", name="saved", after="later"),  # type: ignore[arg-type]
            "is not a time to trigger an event at",
            id="bad-after",
        ),
        pytest.param(
            lambda: TriggerEvent("x", name={"saved": 1}, after="receive", params={"id": 7}),
            "cannot be given with a mapping",
            id="params-with-mapping",
        ),
        pytest.param(lambda: PushUrl("x", push_url=True), "give the URL to show", id="push-url-true"),
        pytest.param(lambda: HXLocation(""), "needs `redirect_to`", id="location-without-path"),
        pytest.param(
            lambda: HTMXTemplate(template_str="x", trigger_event="saved"),
            "is not a time to trigger an event at",
            id="template-trigger-without-after",
        ),
    ],
)
def test_invalid_htmx_arguments_raise(make: Any, message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        make()


def test_invalid_response_in_a_handler_is_a_500() -> None:
    @get("/", sync_to_thread=False)
    def handler() -> TriggerEvent[str]:
        return TriggerEvent("x", name="saved", after="later")  # type: ignore[arg-type]

    with create_test_client([handler]) as client:
        assert client.get("/").status_code == 500


def test_htmx_template_renders_with_htmx_headers(tmp_path: Path) -> None:
    (tmp_path / "row.html").write_text("<tr><td>{{ name }}</td><td>{{ request.url.path }}</td></tr>")

    @get("/rows/{name:str}", sync_to_thread=False)
    def row(name: str) -> Template:
        return HTMXTemplate(
            push_url=f"/rows/{name}",
            re_swap="beforeend",
            re_target="#table",
            trigger_event="rowAdded",
            params={"name": name},
            after="settle",
            template_name="row.html",
            context={"name": name},
        )

    config: TemplateConfig[JinjaTemplateEngine] = TemplateConfig(directory=tmp_path, engine=JinjaTemplateEngine)
    with create_test_client([row], template_config=config) as client:
        response = client.get("/rows/ann")
    assert response.text == "<tr><td>ann</td><td>/rows/ann</td></tr>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert {name: response.headers[name] for name in ("hx-push-url", "hx-reswap", "hx-retarget")} == {
        "hx-push-url": "/rows/ann",
        "hx-reswap": "beforeend",
        "hx-retarget": "#table",
    }
    assert response.headers["hx-trigger-after-settle"] == '{"rowAdded":{"name":"ann"}}'
    assert "hx-trigger" not in response.headers


def test_htmx_template_without_htmx_arguments_sets_no_htmx_header(tmp_path: Path) -> None:
    config: TemplateConfig[JinjaTemplateEngine] = TemplateConfig(directory=tmp_path, engine=JinjaTemplateEngine)
    answer = _headers_of(HTMXTemplate(template_str="<p>hi</p>"), template_config=config)
    assert (answer.status_code, answer.text) == (200, "<p>hi</p>")
    assert not [name for name in answer.headers if name.startswith("hx-")]


def test_htmx_template_with_an_empty_event_name_triggers_nothing() -> None:
    assert "HX-Trigger" not in HTMXTemplate(template_str="x", trigger_event="").headers


def test_htmx_headers_names() -> None:
    assert (HTMXHeaders.REQUEST, HTMXHeaders.TRIGGER_ID) == ("HX-Request", HTMXHeaders.TRIGGER_EVENT)
    assert f"{HTMXHeaders.LOCATION}" == "HX-Location"
