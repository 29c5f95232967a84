"""JSON from people, read with a limit on how deeply it nests."""

import json

import pytest

from stepwise.core.json_input import MAX_DEPTH, NestedTooDeeply, load_json


def nested(depth: int, inner=1) -> str:
    text = json.dumps(inner)
    for level in range(depth):
        text = f'{{"level{level}": {text}}}' if level % 2 else f"[{text}]"
    return text


def test_ordinary_json_is_read_as_json_loads_reads_it():
    text = '{"a": [1, {"b": "two"}], "c": null}'
    assert load_json(text) == json.loads(text)
    assert load_json(text.encode()) == json.loads(text)


def test_json_as_deep_as_the_limit_is_read():
    assert load_json(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))


@pytest.mark.parametrize(
    "text",
    [
        nested(MAX_DEPTH + 1),
        nested(MAX_DEPTH + 1, inner=[]),
        # Deep enough that json.loads itself raises RecursionError.
        "[" * 100_000,
        '{"a":' * 100_000,
        nested(100_000),
    ],
    ids=["one-too-deep", "empty-list-one-too-deep", "open-brackets", "open-objects", "closed"],
)
def test_deeper_json_is_refused_as_a_value_error(text):
    with pytest.raises(NestedTooDeeply):
        load_json(text)
    with pytest.raises(ValueError):
        load_json(text)


def test_empty_containers_at_the_limit_are_fine_and_the_limit_can_be_chosen():
    assert load_json("[[[]]]", max_depth=3) == [[[]]]
    with pytest.raises(NestedTooDeeply):
        load_json("[[[[]]]]", max_depth=3)


def test_json_that_is_not_json_is_still_a_value_error():
    with pytest.raises(ValueError) as error:
        load_json('{"broken": ')
    assert not isinstance(error.value, NestedTooDeeply)
