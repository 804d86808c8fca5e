"""on_first_view: the callback runs once, on the first 'view' message, never before."""
import pytest

from symnb.display.ready import in_voila, on_first_view


def test_runs_once_on_view_message_only():
    calls = []
    w = on_first_view(lambda: calls.append(1))
    assert calls == []                                   # not at creation
    w._handle_custom_msg({"event": "something else"}, [])
    assert calls == []
    w._handle_custom_msg({"event": "view"}, [])
    w._handle_custom_msg({"event": "view"}, [])          # a second view (e.g. re-render)
    assert calls == [1]


def test_not_callable_is_refused():
    with pytest.raises(TypeError, match="callable"):
        on_first_view(42)


def test_in_voila_reads_the_environment(monkeypatch):
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    assert not in_voila()
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    assert in_voila()
