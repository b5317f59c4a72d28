from pathlib import Path

import pytest

from verifier.registry import Registry, default_registry, load_registry


@pytest.fixture(scope="module")
def reg() -> Registry:
    return default_registry()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("the Guardian newspaper", "The Guardian"),
        ("The Guardian", "The Guardian"),
        ("ft", "Financial Times"),
        ("FT", "Financial Times"),
        ("Sunday Times", "The Times"),
        ("the Sunday Times newspaper", "The Times"),
        ("The Times of India", "The Times of India"),
        ("Reuters news agency", "Reuters"),
        ("AFP", "Agence France-Presse"),
        ("Agence France-Presse", "Agence France-Presse"),
        ("the BBC", "BBC News"),
        ("the Telegraph's", "The Telegraph"),
        ("Associated Press", "Associated Press"),
        ("AP", "Associated Press"),
        ("Le Monde daily", "Le Monde"),
        ("NYT", "The New York Times"),
        ("  the   Financial   Times  ", "Financial Times"),
    ],
)
def test_find(reg: Registry, name: str, expected: str) -> None:
    found = reg.find(name)
    assert found is not None and found.name == expected


@pytest.mark.parametrize("name", ["", "   ", "the Daily Bugle", "guardian angel"])
def test_find_unknown(reg: Registry, name: str) -> None:
    assert reg.find(name) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.ft.com/content/abc", "Financial Times"),
        ("https://amp.theguardian.com/world/x", "The Guardian"),
        ("https://www.thetimes.co.uk/article/x", "The Times"),
        ("https://news.sky.com/story/x", "Sky News"),
        ("https://www.bbc.co.uk/news/x", "BBC News"),
        ("https://www.reuters.com/world/x", "Reuters"),
        ("HTTPS://WWW.TELEGRAPH.CO.UK:443/x", "The Telegraph"),
        ("https://timesofindia.indiatimes.com/x", "The Times of India"),
    ],
)
def test_for_url(reg: Registry, url: str, expected: str) -> None:
    found = reg.for_url(url)
    assert found is not None and found.name == expected


@pytest.mark.parametrize("url", ["https://notft.com/x", "https://ft.com.evil.example/x", "not a url", ""])
def test_for_url_unknown(reg: Registry, url: str) -> None:
    assert reg.for_url(url) is None


def _mentions(reg: Registry, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], o.name) for s, e, o in reg.mentions(text)]


@pytest.mark.parametrize(
    "text",
    [
        "the boy's legal guardian said",
        "these are hard financial times for everyone",
        "the FTSE 100 fell",
        "Iran's Guardian Council said",
        "crowds in Times Square",
        "Hindustan-free text with Times New Roman font",
    ],
)
def test_mentions_traps_give_nothing_or_other(reg: Registry, text: str) -> None:
    assert _mentions(reg, text) == []


def test_mentions_longest_match(reg: Registry) -> None:
    assert _mentions(reg, "The Times Educational Supplement said") == [
        ("The Times Educational Supplement", "Times Educational Supplement")
    ]
    assert _mentions(reg, "the New York Times said") == [("the New York Times", "The New York Times")]
    assert _mentions(reg, "the Los Angeles Times and the Times of India") == [
        ("the Los Angeles Times", "Los Angeles Times"),
        ("the Times of India", "The Times of India"),
    ]
    assert _mentions(reg, "Hindustan Times reported") == [("Hindustan Times", "Hindustan Times")]


def test_mentions_guarded_alias_after_unknown_proper_name(reg: Registry) -> None:
    # "Kathmandu Times" is not in the registry and must not become The Times.
    assert _mentions(reg, "the Kathmandu Times reported") == []
    assert _mentions(reg, "Yesterday the Times reported") == [("the Times", "The Times")]


def test_mentions_in_order_and_spans(reg: Registry) -> None:
    text = "the Guardian newspaper said, citing the FT and Sunday Times, while the BBC and Reuters agreed."
    got = _mentions(reg, text)
    assert got == [
        ("the Guardian", "The Guardian"),
        ("the FT", "Financial Times"),
        ("Sunday Times", "The Times"),
        ("the BBC", "BBC News"),
        ("Reuters", "Reuters"),
    ]


def test_user_file_overrides_and_adds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        """
[outlet.g]
name = "The Guardian"
aliases = ["Grauniad"]
body_selectors = ["div.new-body p"]

[outlet.bugle]
name = "Daily Bugle"
aliases = ["Daily Bugle", "the Bugle"]
domains = ["dailybugle.example"]
""",
        encoding="utf-8",
    )
    reg = load_registry([user])
    g = reg.find("Grauniad")
    assert g is not None and g.name == "The Guardian"
    assert "the Guardian" in g.aliases  # aliases are extended, not replaced
    assert g.body_selectors == ("div.new-body p",)  # selectors are replaced
    assert reg.for_url("https://www.dailybugle.example/a").name == "Daily Bugle"  # type: ignore[union-attr]
    assert _mentions(reg, "the Bugle said") == [("the Bugle", "Daily Bugle")]
    assert len([o for o in reg.outlets if o.name == "The Guardian"]) == 1

    monkeypatch.setenv("VERIFIER_OUTLETS", str(user))
    assert load_registry().find("Daily Bugle") is not None


def test_bad_user_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[outlet.x]\naliases = ['X']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a name"):
        load_registry([bad])


def test_required_outlets_present(reg: Registry) -> None:
    names = {o.name for o in reg.outlets}
    for n in [
        "The Guardian", "The Times", "Financial Times", "The Telegraph", "BBC News", "Reuters",
        "Associated Press", "Agence France-Presse", "Bloomberg", "Sky News", "The Independent",
        "The Economist", "The New York Times", "The Washington Post", "The Wall Street Journal",
        "Politico", "CNN", "Le Monde",
    ]:  # fmt: skip
        assert n in names
    assert hash(reg.find("FT")) == hash(reg.find("Financial Times"))  # Outlet is hashable


def test_mentions_fast(reg: Registry) -> None:
    import time

    text = ("Officials told the Guardian newspaper on Monday that talks had stalled. " * 2000)[:100_000]
    t = time.perf_counter()
    hits = reg.mentions(text)
    assert time.perf_counter() - t < 1.0
    assert len(hits) > 1000
